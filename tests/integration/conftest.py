"""Integration fixtures: the real Kafka and Cassandra, and per-session topics and keyspace."""

from tests.services import services, test_settings

__all__ = ["services", "test_settings"]
