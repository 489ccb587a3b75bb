"""Test suite: unit (pure), integration (real Kafka + Cassandra), e2e (real clients)."""
