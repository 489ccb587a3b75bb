"""projects.*."""
