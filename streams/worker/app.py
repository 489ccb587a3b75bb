"""The faust app: hosts the decider's intake and one intake per projection as app tasks.

Built by `create_app(settings)`; nothing happens at import time. Each intake reads its topic with
its own consumer and commits offsets only after the records are applied (streams/worker/intake.py),
so at-least-once delivery plus idempotent writes gives effectively-once read models.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import faust
from faust.types.auth import CredentialsT

from config.settings import Settings
from infra import clients
from projections.history.rows import HistoryProjection
from projections.metrics.clears import ClearRelay
from projections.metrics.projection import MetricsProjection
from projections.protocol import Projection
from projections.worker_stats.rows import WorkerStatsProjection
from projections.workers.rows import WorkerLivenessProjection
from streams import probes
from streams.signals import Signals
from streams.worker import intake
from streams.worker.decider import Decider
from streams.worker.projector import Projector
from streams.worker.runtime import Runtime
from streams.worker.watchdog import sweep

log = logging.getLogger(__name__)


def projections() -> list[Projection]:
    return [
        HistoryProjection(),
        MetricsProjection(),
        ClearRelay(),
        WorkerLivenessProjection(time.time),
        WorkerStatsProjection(),
    ]


def broker_credentials(options: dict[str, Any]) -> CredentialsT | None:
    """faust's form of the Kafka pass-through's security part (infra/clients.py)."""
    context = options.get("ssl_context")
    if "sasl_mechanism" in options:
        return faust.SASLCredentials(
            username=options.get("sasl_plain_username"),
            password=options.get("sasl_plain_password"),
            ssl_context=context,
            mechanism=options["sasl_mechanism"],
        )
    return faust.SSLCredentials(context) if context is not None else None


def create_app(settings: Settings) -> faust.App:
    datadir = settings.local_dir / "faust"  # faust's own files; by default in the cwd
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        f"{settings.topic_prefix}worker",
        broker=[f"kafka://{server}" for server in settings.kafka_bootstrap.split(",")],
        store="memory://",
        datadir=str(datadir / f"{settings.topic_prefix}{settings.worker_id or 'worker'}"),
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
        broker_credentials=broker_credentials(clients.aiokafka(settings)),
    )
    shared = Shared(settings)
    app.on_before_shutdown.connect(shared.close)
    _decider_task(app, settings, shared)
    for projection in projections():
        _projector_task(app, settings, shared, projection)
    _deadletter_watch(app, settings, shared.signals)
    if settings.worker_ops_port:
        _operator_endpoints(app, settings, shared)
    return app


class Shared:
    """Resources started by the first agent that needs them and closed at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.signals = Signals()
        self._runtime: Runtime | None = None
        self._lock = asyncio.Lock()

    async def runtime(self) -> Runtime:
        async with self._lock:
            if self._runtime is None:
                self._runtime = await Runtime.start(self.settings, self.signals)
            return self._runtime

    async def close(self, *_args: Any, **_kwargs: Any) -> None:
        if self._runtime is not None:
            await self._runtime.close()


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
            await intake.run(settings, deciding(holder["decider"]), shared.signals)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # its commands stay uncommitted and go to whichever worker takes over
            log.exception("the decider failed; stopping the worker on purpose")
            await app.crash(exc)


def _projector_task(
    app: faust.App, settings: Settings, shared: Shared, projection: Projection
) -> None:
    @app.task
    async def project() -> None:
        try:
            projector = Projector(await shared.runtime(), projection)
            await intake.run(settings, projecting(settings, projector), shared.signals)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # its records stay uncommitted and go to whichever worker takes over
            log.exception("projection %s failed; stopping the worker on purpose", projection.name)
            await app.crash(exc)


def deciding(decider: Decider) -> intake.Intake:
    """ts.commands: one batch is one group commit, whatever arrived while the last was written."""
    return intake.Intake(
        "decider", "commands", decider.process, decider.forget, max_batch=256, poll_ms=1000
    )


def projecting(settings: Settings, projector: Projector) -> intake.Intake:
    """A projection's topic, in a group of its own so that a slow projection lags alone."""
    return intake.Intake(
        intake.projector_group(projector.projection.name),
        projector.projection.topic,
        projector.process,
        lambda _partitions: projector.forget(),  # and its watermarks are read again
        # a batch is folded in one go: bounded so that the decider and the other projections
        # are not held up long (250 reports of 500 scalars fold in about 0.5 s)
        max_batch=250,
        poll_ms=200,
        fetch_bytes=settings.max_message_bytes,  # records may be as large as a request
    )


def _operator_endpoints(app: faust.App, settings: Settings, shared: Shared) -> None:
    """/healthz, /readyz and /metrics on the worker's own port (streams/probes.py)."""

    @app.task
    async def operator_endpoints() -> None:
        runtime = await shared.runtime()
        checks = {"kafka": runtime.producer.check, "cassandra": runtime.store.check}
        host = settings.api_host
        async with probes.serve(host, settings.worker_ops_port, shared.signals, checks):
            await asyncio.Event().wait()  # until the worker stops and cancels this task


def _deadletter_watch(app: faust.App, settings: Settings, signals: Signals) -> None:
    """Logs and counts every dead letter as it arrives, whichever worker parked it. Also the
    one faust agent left: faust's consumer refuses to start without a topic to read."""
    topic = app.topic(
        settings.topic("deadletter"),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=1,
        internal=False,
    )

    @app.agent(topic, name="deadletter-watch")
    async def watch(stream: faust.StreamT) -> None:
        async for event in stream.events():
            headers = {k: v.decode(errors="replace") for k, v in event.headers.items()}
            stage, error = headers.get("stage", ""), headers.get("error.type", "")
            signals.dead_letters.labels(stage, error).inc()
            log.warning(
                "dead letter from %s[%s]@%s (%s): %s: %s",
                headers.get("source.topic"), headers.get("source.partition"),
                headers.get("source.offset"), headers.get("stage"),
                headers.get("error.type"), headers.get("error.message"),
            )  # fmt: skip
