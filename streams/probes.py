"""Operator endpoints of every process (`/healthz`, `/readyz`, `/metrics`) as aiohttp routes.

Unauthenticated, like ClearML's own health checks: they reveal no company's data, only counts.
Readiness asks each dependency now (Kafka metadata, a Cassandra query, ...), bounded in time,
so a load balancer or orchestrator takes the process out while one is missing and back in once
it recovered by itself (G7). The API serves them on its port (api/server.py), a worker on
`settings.worker_ops_port` (`serve` below).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from streams.signals import CONTENT_TYPE, Signals

SIGNALS = web.AppKey("signals", Signals)
CHECK_TIMEOUT_S = 2.0
log = logging.getLogger(__name__)
Check = Callable[[], Awaitable[object]]
READINESS = web.AppKey("readiness", dict[str, Check])


def add_routes(app: web.Application) -> None:
    """Before the ClearML catch-all, which would take every path."""
    app.router.add_get("/healthz", healthz, allow_head=True)
    app.router.add_get("/readyz", readyz, allow_head=True)
    app.router.add_get("/metrics", metrics, allow_head=False)


async def healthz(_request: web.Request) -> web.Response:
    """Alive: the process answers; nothing else is asked."""
    return web.json_response({"status": "alive"})


async def readyz(request: web.Request) -> web.Response:
    checks = request.app.get(READINESS, {})
    results = await asyncio.gather(*(_passes(check) for check in checks.values()))
    failing = {name: why for name, why in zip(checks, results, strict=True) if why}
    body = {"ready": not failing, "checks": {name: failing.get(name, "ok") for name in checks}}
    return web.json_response(body, status=503 if failing else 200)


async def _passes(check: Check) -> str:
    """Empty when the check passed in time, else why not."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await check()
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT_S:g} s"
    except Exception as exc:
        return str(exc) or type(exc).__name__
    return ""


async def metrics(request: web.Request) -> web.Response:
    body = request.app[SIGNALS].exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


@contextlib.asynccontextmanager
async def serve(
    host: str, port: int, signals: Signals, checks: dict[str, Check]
) -> AsyncIterator[None]:
    """The three endpoints on their own port while the block runs. A port that cannot be bound
    is logged, not raised: a process without its probes still does its work."""
    app = web.Application()
    app[SIGNALS], app[READINESS] = signals, checks
    add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("operator endpoints on http://%s:%d (/healthz, /readyz, /metrics)", host, port)
    except OSError as exc:
        log.error("operator endpoints not served on %s:%d: %s", host, port, exc)  # noqa: TRY400
    try:
        yield
    finally:
        await runner.cleanup()
