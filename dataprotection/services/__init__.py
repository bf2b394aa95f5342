"""Data-protection services, one module per area."""
