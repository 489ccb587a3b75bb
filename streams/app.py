"""The faust app: the decider agent on ts.commands and one projector agent per projection.

Built by `create_app(settings)`; nothing happens at import time. Agents are short adapters:
they hand raw records to streams.decider / streams.projector and acknowledge only after those
return, so at-least-once delivery plus idempotent writes gives effectively-once read models.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust

from infra import topics
from projections.history import HistoryProjection
from streams.decider import Decider, Incoming
from streams.projector import Projection, Projector, Raw
from streams.runtime import Runtime
from streams.watchdog import sweep
from taskstream.settings import Settings

log = logging.getLogger(__name__)
DECIDER_QUEUE = 1000  # commands read ahead of the decider (back-pressure beyond that)
DECIDER_BATCH = 256


def projections() -> list[Projection]:
    return [HistoryProjection()]


def create_app(settings: Settings) -> faust.App:
    app = faust.App(
        f"{settings.topic_prefix}worker",
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",
        autodiscover=False,
        topic_allow_declare=False,  # topics come from infra/topics.py, with their retention
        topic_disable_leader=True,
        web_enabled=False,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        stream_wait_empty=True,
        broker_commit_interval=1.0,
        # static membership: a worker restarted under the same id gets its partitions back at
        # once instead of waiting out a rebalance; a short session bounds a lost worker's gap
        consumer_group_instance_id=settings.worker_id or "worker-1",
        broker_session_timeout=10.0,
        broker_heartbeat_interval=1.0,
    )
    shared = Shared(settings)
    app.on_before_shutdown.connect(shared.close)
    _decider_agent(app, settings, shared)
    for projection in projections():
        _projector_agent(app, settings, shared, projection)
    return app


class Shared:
    """Resources started by the first agent that needs them and closed at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runtime: Runtime | None = None
        self._lock = asyncio.Lock()

    async def runtime(self) -> Runtime:
        async with self._lock:
            if self._runtime is None:
                self._runtime = await Runtime.start(self.settings)
            return self._runtime

    async def close(self, *_args: Any, **_kwargs: Any) -> None:
        if self._runtime is not None:
            await self._runtime.close()


def _partitions(settings: Settings, name: str) -> int:
    (topic,) = (t for t in topics.TOPICS if t.name == name)
    return topics.partitions(settings, topic)


def _topic(app: faust.App, name: str, partitions: int) -> faust.TopicT:
    return app.topic(
        name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=partitions,
        internal=False,
    )


def _decider_agent(app: faust.App, settings: Settings, shared: Shared) -> None:
    topic = _topic(app, settings.topic("commands"), settings.control_partitions)
    holder: dict[str, Decider] = {}

    @app.on_partitions_revoked.connect
    async def on_revoked(_app: Any, revoked: set[Any], **_: Any) -> None:
        if "decider" in holder:
            holder["decider"].forget(
                {tp.partition for tp in revoked if tp.topic == topic.get_topic_name()}
            )

    @app.timer(interval=settings.watchdog_interval_s, name="watchdog")
    async def watchdog() -> None:
        if "decider" in holder:
            await sweep(await shared.runtime(), holder["decider"])

    @app.agent(topic, name="decider")
    async def decider(stream: faust.StreamT) -> None:
        holder["decider"] = Decider(await shared.runtime())
        pending: asyncio.Queue[Any] = asyncio.Queue(DECIDER_QUEUE)
        worker = asyncio.create_task(_decide_forever(app, holder["decider"], pending))
        try:
            async for event in stream.noack().events():
                await pending.put(event)
        finally:
            worker.cancel()


async def _decide_forever(app: faust.App, decider: Decider, pending: asyncio.Queue[Any]) -> None:
    """Group commit: decide whatever arrived while the previous batch was being written."""
    while True:
        events = [await pending.get()]
        while len(events) < DECIDER_BATCH and not pending.empty():
            events.append(pending.get_nowait())
        batch = [Incoming(e.message.partition, e.message.offset, e.value) for e in events]
        try:
            await decider.process(batch)
        except Exception as exc:
            # unacknowledged commands are redelivered to whichever worker takes over
            log.exception("decider batch failed; stopping the worker on purpose")
            await app.crash(exc)
            return
        for event in events:
            event.ack()


def _projector_agent(
    app: faust.App, settings: Settings, shared: Shared, projection: Projection
) -> None:
    partitions = (
        settings.control_partitions
        if projection.topic in ("events", "commands")
        else settings.telemetry_partitions
    )
    topic = _topic(app, settings.topic(projection.topic), partitions)

    @app.agent(topic, name=f"projector-{projection.name}")
    async def project(stream: faust.StreamT) -> None:
        projector = Projector(await shared.runtime(), projection)
        async for events in stream.take_events(1000, within=0.2):
            raws = [Raw(e.message.partition, e.message.offset, e.key, e.value) for e in events]
            await projector.process(raws)
