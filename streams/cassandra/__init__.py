"""Cassandra: the read store adapter, statements, watermarks and keyspaces."""
