"""Fixtures of the fault tests: the local three-node cluster (`taskstream cluster up`), a fresh
topic prefix and keyspace on it (RF 3, min.insync.replicas 2, LOCAL_QUORUM), and two workers and
two APIs against them. Run with `make test-cluster`; `make test` skips them (they need about 3 GB of
memory and several minutes to start the cluster)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from config.settings import Settings
from config.settings import load as load_settings
from infra import cluster, migrations, topics, topology
from taskstream import seed
from tests.cluster.load import Load
from tests.cluster.workers import start_worker
from tests.services import drop, scratch
from tests.stack import READY_S, Stack, call, ok, wait_until

ENABLED = os.environ.get("TS_CLUSTER_TESTS") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="cluster fault tests: run with `make test-cluster`")
    for item in items:
        if "tests/cluster/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def cluster_settings() -> Iterator[Settings]:
    """The developer's settings, with the local cluster answering (started once)."""
    base = load_settings()
    cluster.up(base, say=lambda _line: None)
    settings = scratch(topology.client_settings(base))
    topics.bootstrap(settings, say=lambda _line: None)
    migrations.apply(settings, say=lambda _line: None)
    yield settings
    if not os.environ.get("TS_KEEP_TEST_DATA"):
        drop(settings)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def cluster_stack(
    cluster_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    files = tmp_path_factory.mktemp("files")
    settings = replace(cluster_settings, files_dir=str(files))
    running = Stack(settings, tmp_path_factory.mktemp("logs"))
    try:
        worker = start_worker(running, 1)
        start_worker(running, 2)
        running.api()
        running.api()
        issued = seed.create_credentials(settings, patience_s=READY_S)
        running.login(issued.access_key, issued.secret_key)
        url = running.apis[0].url or ""
        wait_until(
            lambda: call(url, "queues.create", {"name": "warmup"})["meta"]["result_code"] == 200,
            "the decider to answer",
            worker,
        )
        yield running
    finally:
        running.stop()


@pytest.fixture
def load(cluster_stack: Stack) -> Iterator[Load]:
    """The mixed load over both APIs, running 3 s before the test's fault."""
    urls = [api.url or "" for api in cluster_stack.apis]
    task = ok(urls[0], "tasks.create", {"name": "fault-load", "type": "training"})["id"]
    queue = ok(urls[0], "queues.create", {"name": f"polled-{time.time_ns()}"})["id"]
    running = Load(urls, task, queue)
    running.start()
    time.sleep(3.0)
    yield running
    running.stop()
