"""End-to-end fixtures: the same stack as the integration tests (our processes on real Kafka
and Cassandra), driven by real clients; the clearml SDK and clearml-agent get a clearml.conf
naming it in a temp HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.clients import Clients
from tests.stack import Stack


@pytest.fixture
def clients(stack: Stack, tmp_path: Path) -> Clients:
    """The SDK and agent as the stack's default admin, with a fresh HOME per test."""
    return Clients.configure(stack, tmp_path)
