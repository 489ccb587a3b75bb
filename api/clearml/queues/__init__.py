"""queues.*."""
