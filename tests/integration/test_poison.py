"""Records whose rows Cassandra refuses stop nothing (issue 10): the command is answered with a
clear error and dead-lettered with the reason, telemetry records are dead-lettered, the worker
keeps deciding and projecting for every company, and a rebuild agrees with the live tables.

The poison goes straight to the worker (the command bus, the metrics topic), past the API's
own validation, which is the first line of defence and tested on its own."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from api.clearml.tasks import requests as task_requests
from commands.base import Command, Envelope
from commands.projects.decide import CreateProject
from commands.queues.lifecycle import CreateQueue, QueueCreated
from commands.tasks.messages import EditTask
from commands.telemetry import ingest as ingest_module
from commands.telemetry.ingest import ingest
from commands.workers.registration import RegisterWorker
from commands.workers.status import WorkerStatusReported
from config.settings import Settings
from projections.worker_stats import rows as worker_stats
from streams.cassandra.store import CassandraRefused
from streams.kafka.command_bus import RemoteRejection
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record
from streams.worker.projector import Projector
from streams.worker.runtime import Runtime
from tests.conftest import decider_answers
from tests.integration import commands, ops
from tests.integration.test_telemetry import task_with_status, total_scalars
from tests.integration.test_worker_stats import report
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration
BIG_KEY = 70_000  # over Cassandra's 65,535-byte key limit
BIG_VALUE = 5_000_000  # over the native protocol's 4 MiB message limit


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def poison_commands(task: str) -> Iterator[tuple[str, Command]]:
    yield "queue name over the message limit", CreateQueue(name="q" * BIG_VALUE)
    yield "worker id over the key limit", RegisterWorker(worker="w" * BIG_KEY)
    yield "worker timeout of 2**31", RegisterWorker(worker=unique("w"), timeout=2**31)
    big = CreateProject(name=unique("p"), description="d" * BIG_VALUE)
    yield "project description over the message limit", big
    diff = _patch({"script": {"diff": "x" * BIG_VALUE}})
    yield "a script diff over the message limit", EditTask(task=task, action="edit", patch=diff)


def test_poison_commands_are_refused_and_dead_lettered_and_the_decider_goes_on(stack: Stack):
    url, worker = stack.apis[0].url, stack.workers[0]
    task = ok(url, "tasks.create", {"name": unique("poison"), "type": "training"})["id"]
    for label, command in poison_commands(task):
        code, message = _answer(stack.settings, command)
        assert code == 400, (label, message)
        assert "cannot be stored" in message, (label, message)
        assert worker.popen.poll() is None, f"{label}: the worker stopped\n{worker.log_tail()}"
        # the next command of the same company is decided, and reads see it
        name = unique("after")
        created = ok(url, "queues.create", {"name": name})["id"]
        assert ok(url, "queues.get_by_id", {"queue": created})["queue"]["name"] == name, label
    ok(url, "tasks.edit", {"task": task, "comment": "fine"})
    assert ok(url, "tasks.get_by_id", {"task": task})["task"]["comment"] == "fine"
    letters = wait_until(lambda: _dead_letters(stack.settings, "store"), "dead letters")
    assert any("Key length" in h["error.message"] or "key column" in h["error.message"]
               for h in letters)  # fmt: skip
    _assert_verify_agrees(stack.settings)


def test_poison_telemetry_is_dead_lettered_and_projection_goes_on(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
):
    url, worker = stack.apis[0].url, stack.workers[0]
    # ingest's own limits (the API's first line of defence) would drop these events
    monkeypatch.setattr(ingest_module, "MAX_KEY_CHARS", 10 * BIG_KEY)
    monkeypatch.setattr(ingest_module, "MAX_TEXT_CHARS", 10 * BIG_VALUE)
    task = task_with_status(stack)
    poison = [
        {"type": "training_stats_scalar", "task": task, "iter": 1,
         "metric": "m" * BIG_KEY, "variant": "v", "value": 1.0},
        {"type": "log", "task": task, "msg": "x" * BIG_VALUE, "level": "info", "timestamp": 5},
    ]  # fmt: skip
    asyncio.run(_append_telemetry(stack.settings, task, poison))
    fine = [
        {"type": "training_stats_scalar", "task": task, "iter": i, "metric": "loss",
         "variant": "train", "value": float(i)}
        for i in range(20)
    ]  # fmt: skip
    ok(url, "events.add_batch", {"requests": fine})
    wait_until(lambda: total_scalars(url, task) == 20, "the scalars after the poison")
    assert worker.popen.poll() is None, worker.log_tail()
    letters = wait_until(
        lambda: _store_letters(stack.settings, "metrics"),
        "dead letters of the metrics projection",
    )
    assert letters
    _assert_verify_agrees(stack.settings)


def _answer(settings: Settings, command: Command) -> tuple[int, str]:
    """The decider's answer to a command sent past the API: (code, message)."""
    try:
        asyncio.run(commands.send(settings, command))
    except RemoteRejection as refused:
        return refused.code, refused.message
    return 200, "OK"


def _patch(fields: dict[str, Any]) -> str:
    """The patch tasks.edit would build from these fields."""
    return task_requests.build(fields, "2.34", 0, editing=True).to_json()


def _assert_verify_agrees(settings: Settings) -> None:
    """Every table rebuilt from the log equals the live one, and the live watermarks caught up."""
    report = ops.verified(settings)
    assert report.equal, "\n".join(report.lines())


def _store_letters(settings: Settings, topic: str) -> list[dict[str, str]]:
    """The headers of the rows-refused dead letters whose source topic names `topic`."""
    return [h for h in _dead_letters(settings, "store") if topic in h["source.topic"]]


def _dead_letters(settings: Settings, stage: str) -> list[dict[str, str]]:
    """The headers of the dead letters of `stage`, as `taskstream tail --topic deadletter`
    shows them."""
    done = ops.cli(settings, "tail", "--topic", "deadletter", "--json")
    assert done.returncode == 0, done.stderr
    items = [orjson.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return [i["headers"] for i in items if i.get("headers", {}).get("stage") == stage]


async def _append_telemetry(settings: Settings, task: str, events: list[dict[str, Any]]) -> None:
    """Encode and append events as the API does, without its validation."""
    now = int(time.time() * 1000)
    result = ingest(events, {task}, None, now, lambda: uuid.uuid4().hex)
    codec = Codec(Registry.load(settings.schema_dir))
    producer = AsyncProducer(producer_config(settings))
    try:
        out = [
            OutRecord(settings.topic("metrics"), _encoded(codec, settings, r, now), task.encode())
            for r in result.records
        ]
        await producer.send_batch(out)
    finally:
        await producer.close()


def _encoded(codec: Codec, settings: Settings, record: Any, now: int) -> bytes:
    envelope = Envelope(
        event_id=uuid.uuid4().hex,
        type=type(record).__name__,
        company=settings.default_company,
        user="__admin__",
        aggregate_type="task",
        aggregate_id=record.task,
        occurred_at=now,
    )
    return codec.encode(record.avro_name(), to_record(envelope, record))


def test_a_boolean_task_comment_stops_nothing(stack: Stack):
    """The edit is stored as the task's JSON document; whatever the worker makes of it, it keeps
    deciding, the task reads back, and verify agrees."""
    url, worker = stack.apis[0].url, stack.workers[0]
    task = ok(url, "tasks.create", {"name": unique("comment"), "type": "training"})["id"]
    comment = _patch({"comment": True})
    code, message = _answer(stack.settings, EditTask(task=task, action="edit", patch=comment))
    assert code in (200, 400), message
    ok(url, "tasks.get_all", {"id": [task], "only_fields": ["comment", "name"]})
    ok(url, "tasks.get_by_id", {"task": task})
    time.sleep(2)  # the projectors (history, task listing) take the event
    assert worker.popen.poll() is None, worker.log_tail()
    ok(url, "queues.create", {"name": unique("after")})


def test_a_poison_event_already_in_the_log_does_not_stop_recovery(stack: Stack):
    """An event appended before the screen existed (or by another writer) whose rows Cassandra
    refuses: the restarted worker sets its rows aside, dead-letters it and decides again,
    instead of dying on it at every start."""
    for worker in stack.workers:
        worker.kill()
    asyncio.run(_append_event(stack.settings, QueueCreated(unique("q"), "q" * BIG_VALUE, 1)))
    restarted = stack.worker()
    wait_until(lambda: decider_answers(stack), "the decider to answer", restarted)
    assert restarted.popen.poll() is None, restarted.log_tail()
    letters = wait_until(
        lambda: _store_letters(stack.settings, "events"),
        "the dead letter of the refused event",
    )
    assert (
        "4194304" in letters[0]["error.message"] or "message limit" in letters[0]["error.message"]
    )
    _assert_verify_agrees(stack.settings)


async def _append_event(settings: Settings, event: Any) -> None:
    """Append an event to the company's partition of ts.events, as a decider would."""
    codec = Codec(Registry.load(settings.schema_dir))
    company = settings.default_company
    envelope = Envelope(
        event_id=uuid.uuid4().hex,
        type=type(event).__name__,
        company=company,
        user="__admin__",
        aggregate_type=event.AGGREGATE,
        aggregate_id=event.aggregate_id(),
        occurred_at=int(time.time() * 1000),
    )
    record = to_record(envelope, event, reply="{}", command="CreateQueue")
    producer = AsyncProducer(producer_config(settings))
    try:
        value = codec.encode(event.avro_name(), record)
        await producer.send_batch([OutRecord(settings.topic("events"), value, company.encode())])
    finally:
        await producer.close()


def test_a_state_read_of_a_key_cassandra_refuses_finds_no_rows(stack: Stack):
    """A stateful projector reads rows by keys taken from records (the worker statistics of a
    worker id): Cassandra refuses a 70 KB partition key in a read too, and such a key holds no
    rows, so the state starts empty instead of the projector stopping."""
    read = worker_stats.bucket_read((stack.settings.default_company, "w" * BIG_KEY, 0, 0))

    async def run() -> list[dict[str, Any]]:
        runtime = await Runtime.start(stack.settings)
        try:
            with pytest.raises(CassandraRefused, match="cannot bind"):
                await runtime.store.execute(read.cql, read.params)
            projector = Projector(runtime, SimpleNamespace(name="probe"))  # type: ignore[arg-type]
            return await projector._read(read)
        finally:
            await runtime.close()

    assert asyncio.run(run()) == []


def test_a_status_report_of_a_70_kb_worker_id_stops_nothing(stack: Stack):
    """A worker id over the key limit in ts.worker-status: its rows are refused (the driver
    cannot even pack the partition key) and dead-lettered, later reports are projected."""
    url, worker = stack.apis[0].url, stack.workers[0]
    now = int(time.time()) * 1000
    stats = {"cpu_usage": (5.0,)}
    fine = f"w-{secrets.token_hex(4)}"
    report(stack, [WorkerStatusReported("w" * BIG_KEY, now, now, machine_stats=stats)])
    report(stack, [WorkerStatusReported(fine, now, now, machine_stats=stats)])
    keys = {"worker_ids": [fine]}
    wait_until(
        lambda: call(url, "workers.get_metric_keys", keys)["meta"]["result_code"] == 200,
        "the later report to be projected",
    )
    assert worker.popen.poll() is None, worker.log_tail()
    letters = wait_until(
        lambda: _store_letters(stack.settings, "worker"),
        "the dead letter of the refused report",
    )
    assert any("Key length" in h["error.message"] or "cannot bind" in h["error.message"]
               for h in letters)  # fmt: skip
