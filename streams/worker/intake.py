"""One Kafka intake: a consumer group reads a topic in the worker's loop and hands batches over.

Contract. The decider and every projection read through `run(settings, intake)`: one aiokafka
consumer per intake in the worker's event loop (no faust agent, see docs/architecture.md), its
own group `<prefix><group>`, static membership under `settings.worker_id`. Each `getmany` is
one batch, handed to `intake.handle`; its offsets are committed only after `handle` returned,
that is after the batch's writes are durable, so "committed" means "applied" and a crash
redelivers (writes are idempotent). A rebalance waits for the batch in flight and commits it,
then calls `intake.revoked` with the partitions taken away: their cached state goes, since a
later owner may write them meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import IllegalStateError
from aiokafka.structs import OffsetAndMetadata

from config.settings import Settings
from infra import clients
from streams.signals import Signals

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Raw:
    """A record as an intake (or a rebuild reading the log) hands it over: still encoded."""

    partition: int
    offset: int
    key: bytes | None
    value: bytes


@dataclass(frozen=True)
class Intake:
    group: str  # the consumer group, after the topic prefix: "decider", "projector-metrics"
    topic: str  # logical topic name, see Settings.topic
    handle: Callable[[list[Raw]], Awaitable[None]]  # returns once the batch is durable
    revoked: Callable[[set[int]], None]  # partitions moved away: drop what was cached for them
    max_batch: int
    poll_ms: int  # how long one getmany waits for a first record
    fetch_bytes: int | None = None  # per partition and fetch; None keeps aiokafka's 1 MiB


def group_id(settings: Settings, group: str) -> str:
    """The consumer group id of an intake's group ("decider", "projector-metrics")."""
    return f"{settings.topic_prefix}{group}"


def projector_group(projection: str) -> str:
    """A projection's intake group: the API reads its committed offsets (read-your-writes)."""
    return f"projector-{projection}"


async def run(settings: Settings, intake: Intake, signals: Signals | None = None) -> None:
    """Hand batches to the intake's handler until cancelled."""
    busy = asyncio.Lock()
    reader = _consumer(settings, intake)
    committer = Committer(reader)
    gauges = Lag(intake.group, signals or Signals())
    listener = _Handover(intake, busy, committer, gauges)
    reader.subscribe([settings.topic(intake.topic)], listener=listener)
    await reader.start()
    try:
        while True:
            batches = await reader.getmany(timeout_ms=intake.poll_ms, max_records=intake.max_batch)
            if batches:
                async with busy:
                    started = time.monotonic()
                    raws = [
                        Raw(tp.partition, r.offset, r.key, r.value)
                        for tp, records in batches.items()
                        for r in records
                    ]
                    await intake.handle(raws)
                    committer.note({tp: records[-1].offset + 1 for tp, records in batches.items()})
                    gauges.batch(len(raws), time.monotonic() - started)
            await gauges.update(reader)
    finally:
        await committer.flush()
        await reader.stop()


class Lag:
    """An intake's signals: its batches, and per partition the records not yet handled (the
    log end from the last fetch minus the next position: what getmany has not handed over)."""

    def __init__(self, group: str, signals: Signals) -> None:
        self.group = group
        self.signals = signals

    def batch(self, records: int, seconds: float) -> None:
        self.signals.intake_batch.labels(self.group).observe(records)
        self.signals.intake_seconds.labels(self.group).observe(seconds)

    async def update(self, reader: AIOKafkaConsumer) -> None:
        for tp in reader.assignment():
            end = reader.highwater(tp)
            if end is None:  # nothing fetched from it yet
                continue
            try:  # fetched, so its position is known and this does not wait
                position = await reader.position(tp)
            except IllegalStateError:  # taken away meanwhile
                continue
            gauge = self.signals.intake_lag.labels(self.group, str(tp.partition))
            gauge.set(max(0, end - position))

    def forget(self, partitions: set[int]) -> None:
        for partition in partitions:
            with contextlib.suppress(KeyError):
                self.signals.intake_lag.remove(self.group, str(partition))


def _consumer(settings: Settings, intake: Intake) -> AIOKafkaConsumer:
    extra = {} if intake.fetch_bytes is None else {"max_partition_fetch_bytes": intake.fetch_bytes}
    return AIOKafkaConsumer(
        **clients.aiokafka(settings),
        group_id=group_id(settings, intake.group),
        # static membership: a worker restarted under the same id gets its partitions back
        # at once instead of waiting out a rebalance
        group_instance_id=settings.worker_id or "worker-1",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=10_000,
        heartbeat_interval_ms=1_000,
        max_poll_records=intake.max_batch,
        **extra,
    )


class _Handover(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, intake: Intake, busy: asyncio.Lock, committer: Committer, lag: Lag) -> None:
        self.intake = intake
        self.busy = busy
        self.committer = committer
        self.lag = lag

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.busy:  # the batch in flight finishes and commits first
            await self.committer.flush()
            self.intake.revoked({tp.partition for tp in revoked})
            self.lag.forget({tp.partition for tp in revoked})  # their new owner reports them

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        log.info("%s owns %s", self.intake.group, sorted(tp.partition for tp in assigned))


class Committer:
    """Commits handled offsets in the background, coalesced, off the latency path.

    A late commit only means a longer redelivery after a crash, and what is redelivered was
    already applied (writes idempotent, commands answered from the log: G4), so nothing waits
    for the commit itself. A rebalance flushes it before partitions move.
    """

    def __init__(self, reader: AIOKafkaConsumer) -> None:
        self.reader = reader
        self.pending: dict[TopicPartition, int] = {}
        self.task: asyncio.Task[None] | None = None

    def note(self, positions: dict[TopicPartition, int]) -> None:
        self.pending.update(positions)
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.flush())

    async def flush(self) -> None:
        while self.pending:
            positions, self.pending = self.pending, {}
            try:
                await self.reader.commit(
                    {tp: OffsetAndMetadata(offset, "") for tp, offset in positions.items()}
                )
            except Exception as exc:  # a rebalance in progress; the next batch commits again
                log.warning("commit deferred: %r", exc)
                return
