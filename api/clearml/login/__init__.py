"""login.*."""
