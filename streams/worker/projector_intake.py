"""Feeds a projection from its topic: its own aiokafka consumer in the worker's event loop.

Offsets are committed only after the projector returned, that is after the batch's rows are
in Cassandra. faust agents acknowledge a batch once the agent moves on, and a rebalance in the
middle of a batch (a worker joining or leaving) committed records whose rows were never
written: acknowledged telemetry missing from the read model. Reading here, as the decider does
(streams/worker/command_intake.py), makes "committed" mean "applied" and removes faust's hand-off
between its consumer thread and the loop.

Each projection has its own consumer group, so a slow projection lags alone. A rebalance waits
for the batch in flight and commits it; then the projection forgets its cached state (a
partition it gets back may have been written by another worker meanwhile) and the watermarks
are read again.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from config.settings import Settings
from streams.worker.command_intake import _Committer as Committer
from streams.worker.projector import Projector, Raw

log = logging.getLogger(__name__)
# a batch is folded without yielding the loop: bounded so that heartbeats, the decider and the
# other projections are not held up long (250 reports of 500 scalars fold in about 0.5 s)
MAX_BATCH = 250


class _Handover(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, projector: Projector, busy: asyncio.Lock, committer: Committer) -> None:
        self.projector = projector
        self.busy = busy
        self.committer = committer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.busy:  # the batch in flight is applied and committed first
            await self.committer.flush()
            self.projector.forget()

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        name = self.projector.projection.name
        log.info("projection %s owns %s", name, sorted(tp.partition for tp in assigned))


def consumer(settings: Settings, projection: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"{settings.topic_prefix}projector-{projection}",
        group_instance_id=settings.worker_id or "worker-1",  # static membership, as the decider
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=10_000,
        heartbeat_interval_ms=1_000,
        max_poll_records=MAX_BATCH,
        max_partition_fetch_bytes=settings.max_message_bytes,
    )


async def run(settings: Settings, projector: Projector) -> None:
    """Project records until cancelled."""
    busy = asyncio.Lock()
    reader = consumer(settings, projector.projection.name)
    committer = Committer(reader)
    topic = settings.topic(projector.projection.topic)
    reader.subscribe([topic], listener=_Handover(projector, busy, committer))
    await reader.start()
    try:
        while True:
            batches = await reader.getmany(timeout_ms=200, max_records=MAX_BATCH)
            if not batches:
                continue
            async with busy:
                raws = [
                    Raw(tp.partition, r.offset, r.key, r.value)
                    for tp, records in batches.items()
                    for r in records
                ]
                await projector.process(raws)
                committer.note({tp: records[-1].offset + 1 for tp, records in batches.items()})
    finally:
        await committer.flush()
        await reader.stop()
