"""Reads, one module per area: querysets with what their pages show, at a fixed query cost."""
