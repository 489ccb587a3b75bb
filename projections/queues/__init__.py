"""The queues view: queue rows and the entries of tasks waiting in them."""
