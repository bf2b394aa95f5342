"""Data-protection forms, one module per area."""
