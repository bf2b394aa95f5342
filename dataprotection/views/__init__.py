"""Data-protection pages, one module per area; each ends with its `urlpatterns`."""
