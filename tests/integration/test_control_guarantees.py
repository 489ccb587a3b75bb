"""G1-G5 on the queues slice, against the real Kafka and Cassandra and our own processes."""

from __future__ import annotations

import asyncio
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from commands.base import Envelope
from commands.queues.lifecycle import CreateQueue
from infra import migrations
from streams.kafka.producer import AsyncProducer, producer_config
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record
from streams.worker.decider import Decider
from streams.worker.failpoints import AFTER_APPEND, AFTER_PROJECT
from streams.worker.partition_state import load_partition
from streams.worker.runtime import Runtime
from tests.conftest import decider_answers
from tests.integration import log
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def unique(prefix: str = "q") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def names(url: str) -> list[str]:
    return [q["name"] for q in ok(url, "queues.get_all")["queues"]]


def test_g2_a_second_api_instance_reads_what_the_first_just_created(stack: Stack):
    first, second = stack.apis[:2]
    for _ in range(20):
        name = unique()
        created = ok(first.url, "queues.create", {"name": name})
        read = ok(second.url, "queues.get_by_id", {"queue": created["id"]})
        assert read["queue"]["name"] == name
        assert name in names(second.url)


def test_g3_of_32_concurrent_creates_of_one_name_exactly_one_wins(stack: Stack):
    name = unique()
    urls = [api.url for api in stack.apis]
    with ThreadPoolExecutor(32) as pool:
        envelopes = list(
            pool.map(
                lambda i: call(urls[i % len(urls)], "queues.create", {"name": name}), range(32)
            )
        )
    codes = sorted((e["meta"]["result_code"], e["meta"]["result_subcode"]) for e in envelopes)
    assert codes == [(200, 0)] + [(400, 801)] * 31
    assert names(urls[0]).count(name) == 1


def test_g4_a_retried_request_id_gets_the_first_answer_and_one_event(stack: Stack):
    name = unique()
    first = ok(stack.apis[0].url, "queues.create", {"name": name}, **{"X-ClearML-Trx": name})
    again = call(stack.apis[1].url, "queues.create", {"name": name}, **{"X-ClearML-Trx": name})
    assert again["meta"]["result_code"] == 200
    assert again["data"] == first
    assert again["meta"]["trx"] == name
    assert len(log.created_queues(stack.settings, name)) == 1


def test_g4_a_redelivered_command_changes_nothing_twice(stack: Stack):
    name = unique()
    asyncio.run(_produce_same_command_twice(stack, name))
    wait_until(lambda: name in names(stack.apis[0].url), "the queue to appear")
    assert len(log.created_queues(stack.settings, name)) == 1
    assert names(stack.apis[1].url).count(name) == 1


async def _produce_same_command_twice(stack: Stack, name: str) -> None:
    settings = stack.settings
    codec = Codec(Registry.load(settings.schema_dir))
    command = CreateQueue(name)
    env = Envelope(
        secrets.token_hex(16),
        "CreateQueue",
        settings.default_company,
        "__admin__",
        "queue",
        "",
        1795000000000,
        command_id=secrets.token_hex(16),
    )
    value = codec.encode(command.avro_name(), to_record(env, command, reply_to=None))
    producer = AsyncProducer(producer_config(settings))
    for _ in range(2):
        await producer.send(settings.topic("commands"), value, key=env.company.encode())
    await producer.close()


def test_g1_an_event_appended_before_a_crash_is_projected_after_restart(stack: Stack):
    for worker in stack.workers:
        worker.kill()
    doomed = stack.worker(failpoints=AFTER_APPEND)
    name = unique("crash")
    answer: dict = {}
    sender = threading.Thread(
        target=lambda: answer.update(call(stack.apis[0].url, "queues.create", {"name": name}))
    )
    sender.start()
    doomed.popen.wait(timeout=120)  # the failpoint kills it right after the durable append
    assert len(log.created_queues(stack.settings, name)) == 1
    assert name not in names(stack.apis[0].url)  # the crash landed before the projection
    healthy = stack.worker()
    wait_until(lambda: name in names(stack.apis[1].url), "the catch-up projection", healthy)
    sender.join()
    assert answer["meta"]["result_code"] in (200, 503)
    wait_until(lambda: decider_answers(stack), "the decider to answer", healthy)
    assert len(log.created_queues(stack.settings, name)) == 1, "redelivery decided it twice"


def test_g1_a_projector_killed_before_its_watermark_writes_each_row_once(stack: Stack):
    for worker in stack.workers:
        worker.kill()
    doomed = stack.worker(failpoints=AFTER_PROJECT)
    name = unique("proj")
    threading.Thread(
        target=lambda: call(stack.apis[0].url, "queues.create", {"name": name}), daemon=True
    ).start()
    doomed.popen.wait(timeout=120)
    healthy = stack.worker()
    wait_until(lambda: decider_answers(stack), "the decider to answer", healthy)
    (created,) = log.created_queues(stack.settings, name)
    rows = asyncio.run(_history(stack.settings, created.message.queue))
    assert [r["event_type"] for r in rows] == ["QueueCreated"]


async def _history(settings, queue_id):
    from projections.history.read import SELECT

    runtime = await Runtime.start(settings)
    try:
        for _attempt in range(100):
            rows = await runtime.store.execute(
                SELECT, [settings.default_company, "queue", queue_id]
            )
            if rows:
                return rows
            await asyncio.sleep(0.2)
        return []
    finally:
        await runtime.close()


def test_g5_rebuilding_the_queue_tables_from_offset_zero_equals_the_live_ones(stack: Stack):
    ok(stack.apis[0].url, "queues.create", {"name": unique("last")})  # let the decider settle
    scratch = replace(stack.settings, keyspace=f"{stack.settings.keyspace}_rebuild")
    migrations.apply(scratch, say=lambda _line: None)
    live, rebuilt = asyncio.run(_rebuild_and_read(stack.settings, scratch))
    assert rebuilt == live
    assert live["queues"], "the comparison must cover rows"


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
    for table in ("queues", "queue_entries"):
        rows = await runtime.store.execute(f"SELECT * FROM {table}")
        out[table] = sorted(rows, key=lambda r: sorted((k, str(v)) for k, v in r.items()))
    return out
