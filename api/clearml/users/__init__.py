"""users.*."""
