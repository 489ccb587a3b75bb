"""The control-plane tables are a function of the log alone (issue 15): `replay` rebuilds them
from ts.events with the control projection's own view (no decider state, no snapshot), also
when it resumes half-way, and they equal what the live decider wrote."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from config.settings import Settings
from projections import control
from streams.cassandra import pointer
from streams.cassandra.store import Store
from streams.ops import replay
from streams.ops.compare import TableDiff, compare
from streams.worker.read_models import read_models
from tests.stack import Stack, ok

pytestmark = pytest.mark.integration


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def _rebuild_control(settings: Settings, keyspace: str) -> None:
    """`taskstream replay --projection control --into-keyspace`: resumes a run into it."""
    models = [m for m in read_models() if m.name == "control"]
    request = replay.Request(models, into=keyspace)
    asyncio.run(replay.replay(settings, request, say=lambda _line: None))


def _compared(settings: Settings, rebuilt: str) -> dict[str, TableDiff]:
    async def run() -> dict[str, TableDiff]:
        store = await Store.connect(settings)
        try:
            live = (await pointer.load(store, settings.keyspace)).read
            return {t: await compare(store, live, rebuilt, t) for t in control.TABLES}
        finally:
            await store.close()

    return asyncio.run(run())


def _first_half(url: str) -> tuple[str, ...]:
    """Tasks queued, moved and popped: listing rows keyed by the previous last_update."""
    project = ok(url, "projects.create", {"name": unique("p"), "description": ""})["id"]
    kept = ok(url, "projects.create", {"name": unique("kept"), "description": ""})["id"]
    q1, q2 = (ok(url, "queues.create", {"name": unique("q")})["id"] for _ in range(2))
    a, b, c, d = (
        ok(url, "tasks.create", {"name": unique("t"), "type": "training", "project": p})["id"]
        for p in (project, project, kept, kept)
    )
    for task in (a, b, c):
        ok(url, "tasks.enqueue", {"task": task, "queue": q1})
    ok(url, "queues.move_task_to_front", {"queue": q1, "task": c})
    ok(url, "queues.move_task_backward", {"queue": q1, "task": c})
    ok(url, "queues.add_task", {"queue": q2, "task": d, "update_execution_queue": True})
    meta = {"gpu": {"key": "gpu", "type": "str", "value": "a100"}}
    ok(
        url,
        "queues.update",
        {"queue": q2, "tags": ["gpu"], "display_name": "Two", "metadata": meta},
    )
    worker, props = unique("w"), [{"key": "force", "value": "off", "expiry": 3600}]
    ok(url, "workers.register", {"worker": worker, "system_tags": ["spot"]})
    ok(url, "workers.set_runtime_properties", {"worker": worker, "runtime_properties": props})
    ok(url, "tasks.ping", {"task": a})
    popped = ok(url, "queues.get_next_task", {"queue": q1})["entry"]["task"]
    ok(url, "tasks.started", {"task": popped})
    return project, kept, q1, q2, popped, b, d


def _second_half(url: str, ids: tuple[str, ...]) -> None:
    """Rows that need what earlier events left: statuses a queue restores, queue rows and
    entries, started times, tasks of deleted projects, projects moved under created parents."""
    project, kept, q1, q2, popped, b, d = ids
    ok(url, "tasks.ping", {"task": popped})
    ok(url, "tasks.stopped", {"task": popped})
    ok(url, "queues.remove_task", {"queue": q1, "task": b, "update_task_status": True})
    ok(url, "tasks.edit", {"task": d, "name": unique("renamed")})
    ok(url, "tasks.enqueue", {"task": b, "queue": q1})
    ok(url, "queues.clear_queue", {"queue": q1})
    ok(url, "tasks.enqueue", {"task": d, "queue": q1})
    ok(url, "queues.delete", {"queue": q1, "force": True})
    ok(url, "tasks.reset", {"task": popped})
    ok(url, "tasks.enqueue", {"task": popped, "queue": q2})
    chain = unique("chain")
    ok(url, "projects.create", {"name": f"{chain}/mid/leaf", "description": ""})
    mid = ok(url, "projects.get_all", {"name": f"^{chain}/mid$"})["projects"][0]["id"]
    ok(url, "projects.move", {"project": mid, "new_location": f"{unique('dest')}/sub"})
    ok(url, "projects.delete", {"project": project, "force": True, "delete_contents": True})
    ok(url, "projects.delete", {"project": kept, "force": True})


def test_a_resumed_rebuild_from_the_log_alone_equals_the_live_tables(stack: Stack):
    url, settings = stack.apis[0].url, stack.settings
    target = f"{settings.keyspace}_c{secrets.token_hex(2)}"
    ids = _first_half(url)
    _rebuild_control(settings, target)
    _second_half(url, ids)
    _rebuild_control(settings, target)  # resumes: rows from where it stopped, view from 0
    diffs = _compared(settings, target)
    different = [line for diff in diffs.values() for line in [diff.table, *diff.lines]]
    assert all(diff.equal for diff in diffs.values()), "\n".join(different)
    assert diffs["task_order"].partitions > 0
    assert diffs["queue_metrics"].partitions > 0
    assert diffs["worker_runtime_properties"].partitions > 0
