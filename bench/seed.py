"""Seed many tasks fast: commands are produced to ts.commands in bulk (no reply awaited), then
one last command goes through the command bus; its answer means the decider has decided
everything before it (one partition per company, in order). Used by bench/get_all_page.py;
run alone it seeds the stack the TS_* settings name.

    .venv/bin/python -m bench.seed --tasks 100000
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import time
import uuid
from collections.abc import Iterable

from commands.base import Command, Envelope
from commands.envelopes import Actor
from commands.queues.task_messages import GetNextTask
from commands.tasks.messages import CreateTask, MarkCompleted, MarkFailed, MarkStarted, MarkStopped
from config.settings import Settings, load
from projections.tasks.order import TABLE
from streams.cassandra.store import Store
from streams.kafka.command_bus import CommandBus, RemoteRejection, ServiceUnavailable
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record

BATCH = 5000
# share of seeded tasks ending in each status (the rest stay created)
MIX = ((MarkCompleted, 0.4), (MarkStopped, 0.2), (MarkFailed, 0.1), (MarkStarted, 0.2))


def _record(codec: Codec, company: str, command: Command) -> bytes:
    command_id = uuid.uuid4().hex
    envelope = Envelope(
        command_id,
        type(command).__name__,
        company,
        "__bench__",
        command.AGGREGATE,
        str(getattr(command, command.AGGREGATE, "") or ""),
        int(time.time() * 1000),
        command_id=command_id,
    )
    return codec.encode(command.avro_name(), to_record(envelope, command, reply_to=None))


async def produce(config: Settings, commands: Iterable[Command]) -> int:
    """Produce commands without awaiting replies, then wait until the decider caught up."""
    codec = Codec(Registry.load(config.schema_dir))
    producer = AsyncProducer(producer_config(config, **{"linger.ms": 20}))
    company, topic, sent, batch = config.default_company, config.topic("commands"), 0, []
    try:
        for command in commands:
            batch.append(OutRecord(topic, _record(codec, company, command), company.encode(), None))
            if len(batch) >= BATCH:
                sent += len(await producer.send_batch(batch))
                batch = []
        sent += len(await producer.send_batch(batch))
        await barrier(config, producer, codec)
    finally:
        await producer.close()
    return sent


async def barrier(config: Settings, producer: AsyncProducer, codec: Codec) -> None:
    """Wait until the decider has decided everything produced before: a command it refuses
    (popping a queue that does not exist) leaves no trace, and its answer comes in order."""
    bus = CommandBus(config, producer, codec)
    await bus.start()
    try:
        while True:
            try:
                caller = Actor(config.default_company, "__bench__")
                await bus.send(caller, GetNextTask("no-such-queue"))
            except RemoteRejection:
                return
            except ServiceUnavailable:
                continue  # still deciding the backlog
    finally:
        await bus.close()


async def task_ids(config: Settings) -> list[str]:
    """Every task of the default company, newest first (from the listing index)."""
    store = await Store.connect(config)
    try:
        cql = f"SELECT id FROM {TABLE} WHERE company = ? AND field = 'created'"
        return [r["id"] for r in await store.execute(cql, [config.default_company])]
    finally:
        await store.close()


async def seed(config: Settings, count: int) -> None:
    prefix = f"seed-{secrets.token_hex(3)}"
    before = set(await task_ids(config))
    started = time.perf_counter()
    sent = await produce(config, (CreateTask(f"{prefix}-{i}", "training") for i in range(count)))
    created = [t for t in await task_ids(config) if t not in before]
    print(
        f"created {len(created)} tasks ({sent} commands) in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    sent = await produce(config, _statuses(created))
    print(
        f"moved them to their statuses ({sent} commands) in {time.perf_counter() - started:.1f} s"
    )


def _statuses(tasks: list[str]) -> Iterable[Command]:
    start = 0
    for command, share in MIX:
        for task in tasks[start : start + int(len(tasks) * share)]:
            yield command(task, force=True)
        start += int(len(tasks) * share)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    asyncio.run(seed(load(), parser.parse_args().tasks))
