"""Integration tests against the real Kafka and Cassandra, started on first use."""
