"""Role-home panels and menu entries, one module per area, imported by DataProtectionConfig.ready()."""
