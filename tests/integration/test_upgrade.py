"""Upgrading an installation past a migration that recreates tables (0206, frozen lists):
bootstrap refuses while a worker runs, then rebuilds the tables from the log, and the rows read
as before the upgrade."""

from __future__ import annotations

import secrets
import shutil
import signal
from pathlib import Path

import pytest

from config.settings import Settings
from infra import cassandra_node, migrations, topics
from infra.errors import InfraError
from streams.ops import upgrade
from taskstream import seed
from tests.conftest import decider_answers
from tests.services import drop, scratch
from tests.stack import READY_S, Stack, ok, wait_until

pytestmark = pytest.mark.integration
LIST_TABLES = ("queues", "projects", "tasks", "worker_registrations", "worker_heartbeats")


def test_an_upgrade_rebuilds_the_recreated_tables_from_the_log(services: Settings, tmp_path: Path):
    settings = scratch(services)
    topics.bootstrap(settings, say=lambda _line: None)
    before = tmp_path / "cql"
    before.mkdir()
    for path in migrations.discover():
        if path.version != 206:  # an installation from before 0206
            shutil.copy(migrations.CQL_DIR / f"{path.version:04d}_{path.name}.cql", before)
    migrations.apply(settings, before, say=lambda _line: None)
    stack = Stack(settings, tmp_path)
    try:
        url = _running(stack)
        tag = secrets.token_hex(4)
        queue = ok(url, "queues.create", {"name": f"q-{tag}", "tags": ["a", "b"]})["id"]
        task = ok(url, "tasks.create", {"name": f"t-{tag}", "type": "training", "tags": ["x"]})
        ok(url, "workers.register", {"worker": f"w-{tag}", "queues": [queue], "tags": ["gpu"]})

        with pytest.raises(InfraError, match="running worker"):
            upgrade.migrate_live(settings, say=lambda _line: None)
        assert _column_type(settings, "queues", "tags") == "list<text>"  # nothing dropped

        stack.stop()
        wait_until(lambda: not stack.workers and not stack.apis, "the stack to stop")
        assert upgrade.migrate_live(settings, say=lambda _line: None) == [206]
        for table in LIST_TABLES:
            assert _column_type(settings, table, "tags") == "frozen<list<text>>", table

        url = _running(stack)
        got = ok(url, "queues.get_by_id", {"queue": queue})["queue"]
        assert got["tags"] == ["a", "b"]
        assert ok(url, "tasks.get_by_id", {"task": task["id"]})["task"]["tags"] == ["x"]
        workers = ok(url, "workers.get_all", {})["workers"]
        assert [w["tags"] for w in workers if w["id"] == f"w-{tag}"] == [["gpu"]]
    finally:
        for process in stack.processes:
            process.kill(signal.SIGKILL)
        drop(settings)


def _running(stack: Stack) -> str:
    stack.worker()
    stack.api()
    issued = seed.create_credentials(stack.settings, patience_s=READY_S)
    stack.login(issued.access_key, issued.secret_key)
    wait_until(lambda: decider_answers(stack), "the decider to answer")
    return stack.apis[0].url or ""


def _column_type(settings: Settings, table: str, column: str) -> str:
    cluster, session = cassandra_node.connect(settings, timeout_s=30.0)
    try:
        row = session.execute(
            "SELECT type FROM system_schema.columns "
            "WHERE keyspace_name = %s AND table_name = %s AND column_name = %s",
            (settings.keyspace, table, column),
        ).one()
        return str(row.type)
    finally:
        cluster.shutdown()
