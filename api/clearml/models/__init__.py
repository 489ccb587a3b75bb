"""models.*."""
