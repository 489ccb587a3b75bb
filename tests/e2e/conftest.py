"""End-to-end fixtures: the same stack as the integration tests (our processes on real Kafka
and Cassandra), driven by real clients."""

from tests.integration.conftest import stack
from tests.services import services, test_settings

__all__ = ["services", "stack", "test_settings"]
