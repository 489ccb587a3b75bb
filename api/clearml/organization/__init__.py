"""organization.* endpoints."""
