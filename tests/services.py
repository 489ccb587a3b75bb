"""Pytest fixtures for tests that need the real Kafka and Cassandra; import them in a conftest.

`services` starts (or reuses) the local Kafka and Cassandra once per session. `test_settings`
gives the session its own topic prefix and keyspace, bootstrapped and migrated, and removes
both afterwards unless TS_KEEP_TEST_DATA is set. Unit tests never request these.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import replace

import pytest

from config.settings import Settings, load
from infra import cassandra_node, migrations, topics
from infra import services as infra_services


def _quiet(line: str) -> None:
    """Bootstrap progress is noise inside a test run."""


@pytest.fixture(scope="session")
def services() -> Settings:
    """The developer's settings, with Kafka and Cassandra answering requests."""
    settings = load()
    infra_services.start(settings, "all")
    return settings


@pytest.fixture(scope="session")
def test_settings(services: Settings) -> Iterator[Settings]:
    """Settings with a fresh topic prefix and keyspace, topics created and migrations applied."""
    settings = scratch(services)
    topics.bootstrap(settings, say=_quiet)
    migrations.apply(settings, say=_quiet)
    yield settings
    if not os.environ.get("TS_KEEP_TEST_DATA"):
        drop(settings)


def scratch(settings: Settings) -> Settings:
    """A copy of settings whose topics and keyspace no one else uses, and its own token secret
    (so test processes never create one in the checkout's local_dir)."""
    tag = secrets.token_hex(4)
    return replace(
        settings,
        topic_prefix=f"ts-t{tag}.",
        keyspace=f"ts_t{tag}",
        token_secret=secrets.token_urlsafe(32),
        worker_ops_port=0,  # not 8009: several test sessions and workers run side by side
    )


def drop(settings: Settings) -> None:
    """Delete the prefixed topics and the keyspace, so test runs do not pile up state."""
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    names = [n for n in admin.list_topics(timeout=10).topics if n.startswith(settings.topic_prefix)]
    for future in admin.delete_topics(names).values() if names else ():
        future.result()
    cluster, session = cassandra_node.connect(settings, timeout_s=60.0)
    try:
        # tests derive scratch keyspaces from the session's (rebuilds, swaps): drop them too,
        # or every run leaves tables behind and Cassandra's heap fills up over a day of runs
        rows = session.execute("SELECT keyspace_name FROM system_schema.keyspaces")
        mine = [r.keyspace_name for r in rows if r.keyspace_name.startswith(settings.keyspace)]
        for keyspace in mine:
            session.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=120)
    finally:
        cluster.shutdown()
