"""server.*."""
