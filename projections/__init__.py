"""Read side: pure folds from events to row mutations, table shapes and read queries (no I/O)."""
