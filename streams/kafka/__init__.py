"""Kafka: the producer, consumers, the command bus and the dead-letter topic."""
