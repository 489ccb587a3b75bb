"""workers.*."""
