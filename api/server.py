"""`create_app(settings)` and `run(settings)`: the aiohttp server for the ClearML API.

Resources live in cleanup contexts, in dependency order: the producer first (the command bus
sends through it), then the read store, then the command bus, whose reply reader must be
positioned before the first command is sent. Reads follow the keyspace pointer (blue/green
rebuilds, streams/cassandra/pointer.py) for as long as the app runs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from api import edge, request_ids, request_metrics, tokens
from api.clearml.audit import handlers
from api.clearml.auth import handlers as auth_calls
from api.clearml.debug import handlers as debug
from api.clearml.events import add, by_iteration, logs, media, raw, samples, scalars
from api.clearml.events import metrics as event_metrics
from api.clearml.events import read as events_read
from api.clearml.login import handlers as login
from api.clearml.models import batch, legacy
from api.clearml.models import handlers as models
from api.clearml.models import read as models_read
from api.clearml.organization import handlers as organization
from api.clearml.projects import contents as project_contents
from api.clearml.projects import handlers as projects
from api.clearml.projects import listing_ex as projects_ex
from api.clearml.projects import models as models_projects
from api.clearml.projects import sharing as project_sharing
from api.clearml.projects import task_summaries
from api.clearml.queues import handlers as queues
from api.clearml.queues import metrics, tasks
from api.clearml.server import lag
from api.clearml.tasks import actions, clone, items, status, write
from api.clearml.tasks import batch as task_batch
from api.clearml.tasks import read as tasks_read
from api.clearml.users import handlers as users
from api.clearml.users import profile, simple
from api.clearml.workers import handlers as workers
from api.clearml.workers import runtime as worker_runtime
from api.clearml.workers import stats
from api.dispatch import REGISTRY, SERVICES, dispatch
from api.endpoints import Registry
from api.files.routes import add_routes as add_file_routes
from api.kfp.routes import add_routes as add_kfp_routes
from api.services import Services
from api.verifier import Verifier
from config.settings import Settings
from infra import clients
from projections.metrics.projection import MetricsProjection
from streams import logs as process_logs
from streams import probes
from streams.cassandra import pointer
from streams.cassandra.store import Store
from streams.kafka.applied import Applied, GroupOffsets
from streams.kafka.command_bus import CommandBus
from streams.kafka.ports import KafkaTelemetry
from streams.kafka.producer import AsyncProducer, producer_config
from streams.schemas.codec import Codec
from streams.schemas.codec import Registry as SchemaRegistry
from streams.signals import Signals
from streams.worker.intake import group_id, projector_group

SETTINGS = web.AppKey("settings", Settings)


def registry() -> Registry:
    return Registry(
        [
            *debug.ENDPOINTS,
            *auth_calls.ENDPOINTS,
            *users.ENDPOINTS,
            *profile.ENDPOINTS,
            *simple.ENDPOINTS,
            *organization.ENDPOINTS,
            *login.ENDPOINTS,
            *task_summaries.ENDPOINTS,
            *queues.ENDPOINTS,
            *tasks.ENDPOINTS,
            *projects.ENDPOINTS,
            *projects_ex.ENDPOINTS,
            *project_contents.ENDPOINTS,
            *project_sharing.ENDPOINTS,
            *tasks_read.ENDPOINTS,
            *write.ENDPOINTS,
            *clone.ENDPOINTS,
            *items.ENDPOINTS,
            *status.ENDPOINTS,
            *actions.ENDPOINTS,
            *task_batch.ENDPOINTS,
            *workers.ENDPOINTS,
            *worker_runtime.ENDPOINTS,
            *add.ENDPOINTS,
            *events_read.ENDPOINTS,
            *scalars.ENDPOINTS,
            *logs.ENDPOINTS,
            *media.ENDPOINTS,
            *event_metrics.ENDPOINTS,
            *by_iteration.ENDPOINTS,
            *samples.ENDPOINTS,
            *raw.ENDPOINTS,
            *lag.ENDPOINTS,
            *stats.ENDPOINTS,
            *metrics.ENDPOINTS,
            *handlers.ENDPOINTS,
            *models.ENDPOINTS,
            *batch.ENDPOINTS,
            *legacy.ENDPOINTS,
            *models_projects.ENDPOINTS,
            *models_read.ENDPOINTS,
        ]
    )


def create_app(settings: Settings) -> web.Application:
    endpoints = registry()
    known = frozenset(endpoints.names()).__contains__
    app = web.Application(
        client_max_size=settings.max_request_bytes + 1,
        # outermost first: every log line carries the request id; the count sees the answer
        # the error middleware made
        middlewares=[request_ids.identified, request_metrics.observed(known), edge.errors],
    )
    request_ids.install(app)
    app[SETTINGS] = settings
    app[REGISTRY] = endpoints
    app[probes.SIGNALS] = Signals()
    app.cleanup_ctx.append(services)
    app.cleanup_ctx.append(follow_pointer)
    probes.add_routes(app)
    add_kfp_routes(app.router)  # before the catch-all, which would take every path
    add_file_routes(app, "/files", settings)  # the file server, where the web app looks for it
    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app


async def services(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    codec = Codec(SchemaRegistry.load(settings.schema_dir))
    signals = app[probes.SIGNALS]
    producer = AsyncProducer(producer_config(settings), signals=signals)
    # connects on first use: the API starts and answers 503 meanwhile
    store = Store(settings, signals=signals)
    bus = CommandBus(settings, producer, codec, signals)
    await bus.start(wait=False)
    app[probes.READINESS] = {
        "kafka": producer.check,
        "cassandra": store.check,
        "replies": bus.check,
    }
    secret = tokens.token_secret(settings)
    applied = readable(settings)
    telemetry = KafkaTelemetry(settings, producer, codec, signals, applied)
    verifier = Verifier(store)
    app[SERVICES] = Services(settings, bus, telemetry, store, secret, verifier)
    yield
    for each in applied:
        await each.close()
    await bus.close()
    await store.close()
    await producer.close()


def readable(settings: Settings) -> list[Applied]:
    """What an events.add waits for before answering: the metrics projector, which writes every
    table the telemetry reads use (docs/telemetry.md "Read-your-writes"); nothing when the
    wait is set to 0."""
    if settings.telemetry_readable_wait_s <= 0:
        return []
    group = group_id(settings, projector_group(MetricsProjection.name))
    topic = settings.topic(MetricsProjection.topic)
    return [Applied(GroupOffsets(clients.aiokafka(settings)), topic, [group])]


async def follow_pointer(app: web.Application) -> AsyncIterator[None]:
    async with pointer.followed(app[SERVICES].store, app[SETTINGS].keyspace):
        yield


def run(settings: Settings) -> None:
    process_logs.configure(settings.log_format)
    with contextlib.suppress(web.GracefulExit, KeyboardInterrupt):  # SIGTERM and SIGINT
        asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    """web.run_app's serving loop, with the runner whose protocol answers in envelopes."""
    app = create_app(settings)
    runner = edge.EdgeRunner(
        app, access_log=None, handle_signals=True, **connection_limits(settings)
    )
    await runner.setup()
    try:
        # several API processes share the port: the kernel spreads connections among them
        shared = settings.api_count > 1
        await web.TCPSite(runner, settings.api_host, settings.api_port, reuse_port=shared).start()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def connection_limits(settings: Settings) -> dict[str, Any]:
    """A handler is cancelled when its client goes away, so abandoned work stops. aiohttp's
    keep-alive timer also runs while a request line and headers arrive, so it is the header
    timeout too: a client idle (or trickling) that long after connecting or after an answer
    is disconnected."""
    return {"handler_cancellation": True, "keepalive_timeout": settings.header_timeout_s}
