"""Fixtures of the fault tests: the local three-node cluster (`taskstream cluster up`), a fresh
topic prefix and keyspace on it (RF 3, min.insync.replicas 2, LOCAL_QUORUM), and a worker and an
API against them. Run with `make test-cluster`; `make test` skips them (they need about 3 GB of
memory and several minutes to start the cluster)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

import pytest

from config.settings import Settings, load
from infra import cluster, migrations, topics, topology
from taskstream import seed
from tests.services import drop, scratch
from tests.stack import READY_S, Stack, call, wait_until

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
    base = load()
    cluster.up(base, say=lambda _line: None)
    settings = scratch(topology.client_settings(base))
    topics.bootstrap(settings, say=lambda _line: None)
    migrations.apply(settings, say=lambda _line: None)
    yield settings
    if not os.environ.get("TS_KEEP_TEST_DATA"):
        drop(settings)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return load()


@pytest.fixture(scope="session")
def cluster_stack(
    cluster_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    files = tmp_path_factory.mktemp("files")
    settings = replace(cluster_settings, files_dir=str(files))
    running = Stack(settings, tmp_path_factory.mktemp("logs"))
    try:
        worker = running.worker()
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
