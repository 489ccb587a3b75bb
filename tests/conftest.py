"""Fixtures of the integration and e2e tests: the real Kafka and Cassandra, per-session topics and
keyspace, and one worker and two API instances running against them, shared by both suites (two
stacks on one keyspace would run two workers under one static group member id). Unit tests
request none of them."""

import secrets
from collections.abc import Iterator
from dataclasses import replace

import pytest

from config.settings import Settings
from taskstream import seed
from tests.services import services, test_settings
from tests.stack import READY_S, Stack, call, wait_until

__all__ = ["services", "test_settings"]


@pytest.fixture(scope="session")
def stack(test_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One worker, two API instances and a file server, logged in as the default company's admin
    (seeded as `taskstream up` does); tests may kill and add processes."""
    files = tmp_path_factory.mktemp("files")
    settings = replace(test_settings, files_dir=str(files))
    running = Stack(settings, tmp_path_factory.mktemp("logs"))
    try:
        worker = running.worker()
        running.api()
        running.api()
        running.files()
        issued = seed.create_credentials(test_settings, patience_s=READY_S)
        running.login(issued.access_key, issued.secret_key)
        wait_until(lambda: decider_answers(running), "the decider to answer", worker)
        yield running
    finally:
        running.stop()


def decider_answers(stack: Stack) -> bool:
    """True once a command round trip works: the worker joined its group and is consuming."""
    name = f"warmup-{secrets.token_hex(4)}"
    return call(stack.apis[0].url, "queues.create", {"name": name})["meta"]["result_code"] == 200
