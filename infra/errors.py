"""The one error type of the infra layer: its message says what failed and what to do."""


class InfraError(RuntimeError):
    """Kafka or Cassandra could not be fetched, started, stopped or bootstrapped."""
