"""Role-home panels, one module per area, imported by InterventionsConfig.ready()."""
