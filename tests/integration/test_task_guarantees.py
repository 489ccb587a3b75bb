"""G2, G3 and G4 on the tasks and queues surface, against the real Kafka and Cassandra and
our own worker and API processes (plain HTTP clients)."""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from commands.tasks.messages import ReportTaskWorker
from infra import migrations
from streams.worker.decider import Decider
from streams.worker.partition_state import load_partition
from streams.worker.runtime import Runtime
from tests.integration import log
from tests.integration.commands import send
from tests.stack import Stack, call, ok

pytestmark = pytest.mark.integration


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def new_queue(url: str) -> str:
    return ok(url, "queues.create", {"name": unique("q")})["id"]


def new_task(url: str, **extra) -> str:
    return ok(url, "tasks.create", {"name": unique("task"), "type": "training", **extra})["id"]


def status(url: str, task: str) -> dict:
    body = {"id": [task], "only_fields": ["status", "status_message"]}
    (doc,) = ok(url, "tasks.get_all", body)["tasks"]
    return doc


def test_g2_another_api_instance_reads_each_transition_at_once(stack: Stack):
    first, second = (api.url for api in stack.apis[:2])
    queue = new_queue(first)
    for _ in range(5):
        task = new_task(first, system_tags=["development"])
        ok(first, "tasks.started", {"task": task})
        assert status(second, task)["status"] == "in_progress"
        ok(first, "tasks.stop", {"task": task})
        assert status(second, task)["status"] == "stopped"
        ok(first, "tasks.enqueue", {"task": task, "queue": queue})
        assert ok(second, "tasks.get_by_id", {"task": task})["task"]["status"] == "queued"
        entries = ok(second, "queues.get_by_id", {"queue": queue})["queue"]["entries"]
        assert task in [e["task"] for e in entries]


def test_g2_stop_of_a_task_a_worker_runs_is_read_as_stopping(stack: Stack):
    first, second = (api.url for api in stack.apis[:2])
    task = new_task(first)
    ok(first, "tasks.started", {"task": task})
    ok(first, "tasks.ping", {"task": task})
    # what workers.status_report with a task sends (the workers slice owns the endpoint)
    _report_worker(stack, task, "gpu-box")
    ok(first, "tasks.stop", {"task": task})
    assert status(second, task) == {
        "id": task,
        "status": "in_progress",
        "status_message": "stopping",
    }


def _report_worker(stack: Stack, task: str, worker: str) -> None:
    asyncio.run(send(stack.settings, ReportTaskWorker(task, worker)))


def test_g3_concurrent_pops_never_share_an_entry(stack: Stack):
    urls = [api.url for api in stack.apis]
    queue = new_queue(urls[0])
    tasks = [new_task(urls[0]) for _ in range(40)]
    for task in tasks:
        ok(urls[0], "tasks.enqueue", {"task": task, "queue": queue})

    def pop(i: int) -> str | None:
        entry = ok(urls[i % len(urls)], "queues.get_next_task", {"queue": queue}).get("entry")
        return entry["task"] if entry else None

    with ThreadPoolExecutor(16) as pool:
        popped = [t for t in pool.map(pop, range(60)) if t]
    assert sorted(popped) == sorted(tasks)


def test_g3_transitions_are_checked_against_the_latest_state(stack: Stack):
    urls = [api.url for api in stack.apis]
    task = new_task(urls[0])
    ok(urls[0], "tasks.started", {"task": task})
    ok(urls[0], "tasks.completed", {"task": task})
    with ThreadPoolExecutor(16) as pool:
        envelopes = list(
            pool.map(lambda i: call(urls[i % 2], "tasks.publish", {"task": task}), range(16))
        )
    codes = sorted((e["meta"]["result_code"], e["meta"]["result_subcode"]) for e in envelopes)
    assert codes == [(200, 0)] + [(400, 110)] * 15


def test_g4_a_retried_create_gets_the_first_answer_and_one_event(stack: Stack):
    trx = unique("trx")
    body = {"name": unique("task"), "type": "training"}
    first = ok(stack.apis[0].url, "tasks.create", body, **{"X-ClearML-Trx": trx})
    again = ok(stack.apis[1].url, "tasks.create", body, **{"X-ClearML-Trx": trx})
    assert again == first
    created = [
        r
        for r in log.events(stack.settings)
        if r.envelope.type == "TaskCreated" and r.message.task == first["id"]
    ]
    assert len(created) == 1


def test_g4_a_retried_pop_returns_the_same_entry_and_pops_once(stack: Stack):
    url = stack.apis[0].url
    queue = new_queue(url)
    tasks = [new_task(url) for _ in range(2)]
    for task in tasks:
        ok(url, "tasks.enqueue", {"task": task, "queue": queue})
    trx = {"X-ClearML-Trx": unique("pop")}
    first = ok(url, "queues.get_next_task", {"queue": queue}, **trx)
    again = ok(stack.apis[1].url, "queues.get_next_task", {"queue": queue}, **trx)
    assert again == first
    assert first["entry"]["task"] == tasks[0]
    nxt = ok(url, "queues.get_next_task", {"queue": queue})
    assert nxt["entry"]["task"] == tasks[1]


TABLES = ("projects", "tasks", "task_items", "task_order", "queues", "queue_entries")


def test_g5_rebuilding_the_task_tables_from_offset_zero_equals_the_live_ones(stack: Stack):
    url = stack.apis[0].url
    project = ok(url, "projects.create", {"name": unique("proj")})["id"]
    queue = new_queue(url)
    task = new_task(url, project=project, hyperparams={"G": {"a": {"value": "1"}}})
    ok(url, "tasks.edit", {"task": task, "configuration": {"c": {"name": "c", "value": "x"}}})
    ok(url, "tasks.enqueue", {"task": task, "queue": queue})
    ok(url, "tasks.ping", {"task": task})
    ok(url, "queues.get_next_task", {"queue": queue})
    ok(url, "tasks.started", {"task": task, "force": True})
    ok(url, "tasks.reset", {"task": task})
    ok(url, "tasks.enqueue", {"task": new_task(url), "queue": queue})  # an entry stays
    scratch = replace(stack.settings, keyspace=f"{stack.settings.keyspace}_tasks_rebuild")
    migrations.apply(scratch, say=lambda _line: None)
    live, rebuilt = asyncio.run(_rebuild_and_read(stack.settings, scratch))
    assert rebuilt == live
    assert all(live[table] for table in TABLES), "the comparison must cover rows"


async def _rebuild_and_read(live_settings, scratch_settings):
    rebuild = await Runtime.start(scratch_settings)
    live = await Runtime.start(live_settings)
    try:
        decider = Decider(rebuild)
        for partition in range(scratch_settings.control_partitions):
            await load_partition(decider, partition)
        return await _tables(live), await _tables(rebuild)
    finally:
        await rebuild.close()
        await live.close()


async def _tables(runtime):
    out = {}
    for table in TABLES:
        rows = await runtime.store.execute(f"SELECT * FROM {table}")
        out[table] = sorted(rows, key=lambda r: sorted((k, str(v)) for k, v in r.items()))
    return out
