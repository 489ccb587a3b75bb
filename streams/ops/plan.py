"""What a rebuild covers: per (read model, partition) the end offset now, where to start (an
offset, a time, or where an interrupted run stopped), and whether a worker is running."""

from __future__ import annotations

import asyncio

from confluent_kafka import ConsumerGroupState, KafkaException
from confluent_kafka.admin import AdminClient

from config.settings import Settings
from infra import clients
from streams.cassandra.store import Store
from streams.kafka.log_reader import end_offset, make_consumer, offsets_for_time
from streams.kafka.producer import KafkaUnavailable
from streams.ops.progress import Key, Progress
from streams.ops.rebuild import load_progress, spans
from streams.worker.read_models import ReadModel


async def progress(
    settings: Settings,
    store: Store,
    models: list[ReadModel],
    from_offset: int | None = None,
    from_time: int | None = None,
) -> Progress:
    """The spans to rebuild, resuming from the target's replay_progress."""
    ends, starts = await asyncio.to_thread(_offsets, settings, models, from_offset, from_time)
    done: dict[Key, int] = {}
    for model in models:
        for partition, offset in (await load_progress(store, model.name)).items():
            done[(model.name, partition)] = offset
    return Progress(spans(ends, starts, done))


def _offsets(
    settings: Settings, models: list[ReadModel], from_offset: int | None, from_time: int | None
) -> tuple[dict[Key, int], dict[Key, int]]:
    consumer = make_consumer(settings)
    try:
        ends, starts = {}, {}
        for model in models:
            topic, count = settings.topic(model.topic), model.partitions(settings)
            by_time = offsets_for_time(consumer, topic, count, from_time) if from_time else {}
            for partition in range(count):
                ends[(model.name, partition)] = end_offset(consumer, topic, partition)
                start = by_time.get(partition, from_offset or 0)
                starts[(model.name, partition)] = start
        return ends, starts
    finally:
        consumer.close()


def worker_running(settings: Settings) -> bool:
    """Whether any of a worker's consumer groups (faust's, the decider's, each projector's)
    has members or is rebalancing: a member between two generations still writes."""
    from streams.worker.app import projections

    admin = AdminClient(clients.confluent(settings, {"log_level": 4}))
    names = ["worker", "decider", *(f"projector-{p.name}" for p in projections())]
    groups = [f"{settings.topic_prefix}{name}" for name in names]
    idle = (ConsumerGroupState.EMPTY, ConsumerGroupState.DEAD)
    try:
        found = admin.describe_consumer_groups(groups)
        described = [future.result(timeout=15) for future in found.values()]
    except KafkaException as exc:
        raise KafkaUnavailable(str(exc)) from exc
    return any(group.members or group.state not in idle for group in described)
