"""`create_app(settings)` and `run(settings)`: the aiohttp server for the ClearML API.

Resources live in cleanup contexts, in dependency order: the producer first (the command bus
sends through it), then the read store, then the command bus, whose reply reader must be
positioned before the first command is sent. Reads follow the keyspace pointer (blue/green
rebuilds, streams/pointer.py) for as long as the app runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from api import (
    audit,
    auth_calls,
    debug,
    edge,
    events_add,
    events_logs,
    events_media,
    events_read,
    events_scalars,
    lag,
    login,
    models,
    models_batch,
    models_legacy,
    models_projects,
    models_read,
    projects,
    queue_metrics,
    queue_tasks,
    queues,
    tasks_clone,
    tasks_items,
    tasks_projects,
    tasks_read,
    tasks_status,
    tasks_write,
    tokens,
    users,
    worker_stats,
    workers,
)
from api.dispatch import REGISTRY, SERVICES, dispatch
from api.endpoints import Registry
from api.files.routes import add_routes as add_file_routes
from api.kfp.routes import add_routes as add_kfp_routes
from api.services import Services
from api.verifier import Verifier
from streams import pointer
from streams.cassandra import Store
from streams.codec import Codec
from streams.codec import Registry as SchemaRegistry
from streams.command_bus import CommandBus
from streams.producer import AsyncProducer, producer_config
from taskstream.settings import Settings

SETTINGS = web.AppKey("settings", Settings)


def registry() -> Registry:
    return Registry(
        [
            *debug.ENDPOINTS,
            *auth_calls.ENDPOINTS,
            *users.ENDPOINTS,
            *login.ENDPOINTS,
            *tasks_projects.ENDPOINTS,
            *queues.ENDPOINTS,
            *queue_tasks.ENDPOINTS,
            *projects.ENDPOINTS,
            *tasks_read.ENDPOINTS,
            *tasks_write.ENDPOINTS,
            *tasks_clone.ENDPOINTS,
            *tasks_items.ENDPOINTS,
            *tasks_status.ENDPOINTS,
            *workers.ENDPOINTS,
            *events_add.ENDPOINTS,
            *events_read.ENDPOINTS,
            *events_scalars.ENDPOINTS,
            *events_logs.ENDPOINTS,
            *events_media.ENDPOINTS,
            *lag.ENDPOINTS,
            *worker_stats.ENDPOINTS,
            *queue_metrics.ENDPOINTS,
            *audit.ENDPOINTS,
            *models.ENDPOINTS,
            *models_batch.ENDPOINTS,
            *models_legacy.ENDPOINTS,
            *models_projects.ENDPOINTS,
            *models_read.ENDPOINTS,
        ]
    )


def create_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=settings.max_request_bytes + 1, middlewares=[edge.errors])
    app[SETTINGS] = settings
    app[REGISTRY] = registry()
    app.cleanup_ctx.append(services)
    app.cleanup_ctx.append(follow_pointer)
    add_kfp_routes(app.router)  # before the catch-all, which would take every path
    add_file_routes(app, "/files", settings)  # the file server, where the web app looks for it
    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app


async def services(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    codec = Codec(SchemaRegistry.load(settings.schema_dir))
    producer = AsyncProducer(producer_config(settings))
    store = Store(settings)  # connects on first use: the API starts and answers 503 meanwhile
    bus = CommandBus(settings, producer, codec)
    await bus.start(wait=False)
    secret = tokens.token_secret(settings)
    app[SERVICES] = Services(settings, codec, producer, bus, store, secret, Verifier(store))
    yield
    await bus.close()
    await store.close()
    await producer.close()


async def follow_pointer(app: web.Application) -> AsyncIterator[None]:
    async with pointer.followed(app[SERVICES].store, app[SETTINGS].keyspace):
        yield


def run(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
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
        await web.TCPSite(runner, settings.api_host, settings.api_port).start()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def connection_limits(settings: Settings) -> dict[str, Any]:
    """A handler is cancelled when its client goes away, so abandoned work stops. aiohttp's
    keep-alive timer also runs while a request line and headers arrive, so it is the header
    timeout too: a client idle (or trickling) that long after connecting or after an answer
    is disconnected."""
    return {"handler_cancellation": True, "keepalive_timeout": settings.header_timeout_s}
