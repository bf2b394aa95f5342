"""Data-protection selectors (reads), one module per area."""
