"""tasks.*."""
