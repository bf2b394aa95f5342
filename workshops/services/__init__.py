"""State changes (writes), one module per area."""
