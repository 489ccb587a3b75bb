"""The faust app: the decider task (streams.command_intake) and one projector agent per
projection.

Built by `create_app(settings)`; nothing happens at import time. Agents are short adapters:
they hand raw records to streams.projector and acknowledge only after it returns, so
at-least-once delivery plus idempotent writes gives effectively-once read models.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import faust

from infra import topics
from projections.history import HistoryProjection
from projections.metrics import MetricsProjection
from projections.telemetry_clears import ClearRelay
from projections.workers import WorkerLivenessProjection
from streams import command_intake
from streams.decider import Decider
from streams.projector import Projection, Projector, Raw
from streams.runtime import Runtime
from streams.watchdog import sweep
from taskstream.settings import Settings

log = logging.getLogger(__name__)


def projections() -> list[Projection]:
    return [
        HistoryProjection(),
        MetricsProjection(),
        ClearRelay(),
        WorkerLivenessProjection(time.time),
    ]


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
    _decider_task(app, settings, shared)
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


def _decider_task(app: faust.App, settings: Settings, shared: Shared) -> None:
    holder: dict[str, Decider] = {}

    @app.timer(interval=settings.watchdog_interval_s, name="watchdog")
    async def watchdog() -> None:
        # each worker sweeps the companies of the partitions its decider owns
        if "decider" in holder:
            await sweep(await shared.runtime(), holder["decider"])

    @app.task
    async def decider() -> None:
        try:
            holder["decider"] = Decider(await shared.runtime())
            await command_intake.run(settings, holder["decider"])
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # its commands stay uncommitted and go to whichever worker takes over
            log.exception("the decider failed; stopping the worker on purpose")
            await app.crash(exc)


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
