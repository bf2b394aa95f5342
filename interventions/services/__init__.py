"""State changes (writes), one module per area: keyword-only, transactional, with history."""
