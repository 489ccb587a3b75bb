"""The tasks view: task rows, documents, listing order and queries."""
