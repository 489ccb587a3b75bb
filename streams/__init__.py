"""Kafka plumbing: codec, producer, Cassandra adapter, the faust app and its agents."""
