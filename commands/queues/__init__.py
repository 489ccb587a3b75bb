"""The queue aggregate: queues and the entries of tasks waiting in them."""
