"""Operating on the log against the real Kafka and Cassandra: replay, verify, audit, time travel
and tail (docs/logops.md)."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import replace

import pytest

from commands.base import Envelope
from config.settings import Settings
from infra import topics
from streams.kafka.producer import AsyncProducer, producer_config
from streams.ops import tail
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record
from tests.integration import ops
from tests.services import drop, scratch
from tests.stack import Stack, ok, wait_until
from tests.unit.test_schemas import example

pytestmark = pytest.mark.integration


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def now_ms() -> int:
    return int(time.time() * 1000)


def test_replay_into_a_keyspace_resumes_and_verify_finds_it_equal(stack: Stack):
    url = stack.apis[0].url
    created = ok(url, "queues.create", {"name": unique("replay")})["id"]
    ok(url, "queues.update", {"queue": created, "tags": ["x"]})
    ok(url, "queues.delete", {"queue": ok(url, "queues.create", {"name": unique("gone")})["id"]})
    target = f"{stack.settings.keyspace}_r{secrets.token_hex(2)}"
    ops.rebuild_into(stack.settings, target)
    copy = replace(stack.settings, keyspace=target)
    (row,) = ops.execute(
        copy,
        f"SELECT tags FROM {target}.queues WHERE company = ? AND id = ?",
        [stack.settings.default_company, created],
    )
    assert row["tags"] == ["x"]
    ok(url, "queues.create", {"name": unique("later")})
    done = ops.cli(stack.settings, "replay", "--into-keyspace", target, "--jobs", "2")  # the tail
    assert done.returncode == 0, done.stderr
    assert "events/s" in done.stdout
    report = ops.verified(copy)  # the copy, checked against the log like a live keyspace
    assert report.equal, "\n".join(report.lines())
    assert {t.table for t in report.tables} >= {"queues", "queue_entries", "aggregate_history"}


def test_verify_shows_a_tampered_row_and_fails(stack: Stack):
    name = unique("tamper")
    queue = ok(stack.apis[0].url, "queues.create", {"name": name})["id"]
    target = f"{stack.settings.keyspace}_t{secrets.token_hex(2)}"
    ops.rebuild_into(stack.settings, target)
    copy = replace(stack.settings, keyspace=target)
    company = stack.settings.default_company
    ops.execute(
        copy,
        f"UPDATE {target}.queues SET name = 'wrong' WHERE company = ? AND id = ?",
        [company, queue],
    )
    done = ops.cli(copy, "verify")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"name: live 'wrong' != rebuilt '{name}'" in done.stdout
    assert f"id='{queue}'" in done.stdout
    assert "DIFFERENT" in done.stdout


def test_audit_and_time_travel_follow_a_scripted_history(stack: Stack):
    url, settings = stack.apis[0].url, stack.settings
    name = unique("audit")
    queue = ok(url, "queues.create", {"name": name}, **{"X-ClearML-Trx": f"{name}-1"})["id"]
    after_create = now_ms()
    ok(
        url,
        "queues.update",
        {"queue": queue, "name": f"{name}-b"},
        **{"X-ClearML-Trx": f"{name}-2"},
    )
    after_rename = now_ms()
    ok(url, "queues.update", {"queue": queue, "tags": ["gpu"]}, **{"X-ClearML-Trx": f"{name}-3"})
    after_tags = now_ms()
    ok(url, "queues.delete", {"queue": queue}, **{"X-ClearML-Trx": f"{name}-4"})

    def history():
        return ok(url, "queues.get_history", {"queue": queue})["history"]

    entries = wait_until(lambda: len(h := history()) == 4 and h, "the history projection")
    assert [e["event"] for e in entries] == [
        "QueueCreated",
        "QueueUpdated",
        "QueueUpdated",
        "QueueDeleted",
    ]
    assert [e["command"] for e in entries] == [
        "CreateQueue",
        "UpdateQueue",
        "UpdateQueue",
        "DeleteQueue",
    ]
    assert [e["request_id"] for e in entries] == [f"{name}-{n}" for n in range(1, 5)]
    me = ok(url, "users.get_current_user")["user"]["id"]
    assert {e["user"] for e in entries} == {me}
    assert entries[1]["fields"] == {
        "queue": queue,
        "at": entries[1]["fields"]["at"],
        "name": f"{name}-b",
    }
    assert entries[2]["fields"]["tags"] == ["gpu"]
    by_type = ok(url, "audit.get_history", {"type": "queue", "id": queue})["history"]
    assert by_type == entries
    assert ops.cli_json(settings, "audit", "queue", queue)["history"] == entries

    def at(moment):
        return ops.cli_json(settings, "state", "queue", queue, "--at", str(moment))["queue"]

    assert at(after_create)["name"] == name
    assert (at(after_rename)["name"], at(after_rename)["tags"]) == (f"{name}-b", [])
    assert at(after_tags)["tags"] == ["gpu"]
    gone = ops.cli(settings, "state", "queue", queue, "--at", "now", "--json")
    assert gone.returncode == 1
    assert '"queue": null' in gone.stdout


def test_history_is_company_scoped(stack: Stack):
    queue = ok(stack.apis[0].url, "queues.create", {"name": unique("scoped")})["id"]
    other = ops.cli(stack.settings, "audit", "queue", queue, "--company", "someone-else")
    assert other.returncode == 1
    assert "no history" in other.stderr


def test_tail_cli_shows_the_events_decoded(stack: Stack):
    name = unique("tail")
    ok(stack.apis[0].url, "queues.create", {"name": name})
    lines = wait_until(lambda: _tail_lines(stack.settings, name), "the event in tail")
    (item,) = lines
    assert (item["type"], item["fields"]["command"]) == ("QueueCreated", "CreateQueue")
    assert item["company"] == stack.settings.default_company
    text = ops.cli(stack.settings, "tail", "--type", "QueueCreated", "--company", item["company"])
    assert name in text.stdout
    assert ops.cli(stack.settings, "tail", "--company", "nobody").stdout == ""


def _tail_lines(settings: Settings, name: str) -> list[dict]:
    import json

    done = ops.cli(settings, "tail", "--topic", "events", "--json")
    items = [json.loads(line) for line in done.stdout.splitlines()]
    return [i for i in items if i.get("fields", {}).get("name") == name]


def test_tail_decodes_every_message_type_from_kafka(services: Settings):
    """On topics of its own: example records of every type are not valid history."""
    settings = scratch(services)
    topics.bootstrap(settings, say=lambda _line: None)
    try:
        asyncio.run(_produce_every_type(settings))
        codec = Codec(Registry.load(settings.schema_dir))
        seen = [
            tail.describe(codec, topic, record)
            for topic, record in tail.records(
                settings, ["events", "commands", "worker-status"], "beginning", follow=False
            )
        ]
        assert {i["message"] for i in seen} == {c.avro_name() for c in catalog.message_classes()}
        assert all(i["company"] == "tail-co" for i in seen)
    finally:
        drop(settings)


async def _produce_every_type(settings: Settings) -> None:
    codec = Codec(Registry.load(settings.schema_dir))
    producer = AsyncProducer(producer_config(settings))
    where = {"taskstream.command": "commands", "taskstream.event": "events"}
    try:
        for cls in catalog.message_classes():
            env = Envelope("e", cls.__name__, "tail-co", "u", "agg", "a1", now_ms())
            value = codec.encode(cls.avro_name(), to_record(env, example(cls)))
            topic = settings.topic(where.get(cls.NAMESPACE, "worker-status"))
            await producer.send(topic, value, key=b"tail-co")
    finally:
        await producer.close()


def test_an_in_place_rebuild_refuses_to_race_a_running_worker(stack: Stack):
    # --restart: truncating is what races the worker (without it, a replay that earlier tests
    # left progress for resumes, rewriting rows at their log positions, and needs no check)
    done = ops.cli(stack.settings, "replay", "--projection", "history", "--restart")
    assert done.returncode == 2
    assert "a worker is running" in done.stderr
