"""The API's request metrics: each answer counted by endpoint and status, and timed.

The operator endpoints themselves (`/healthz`, `/readyz`, `/metrics`) are streams/probes.py's,
shared with the worker.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from api.parsing import parse_path
from streams.probes import SIGNALS

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def observed(known: Callable[[str], bool]) -> Callable[[web.Request, Handler], Awaitable]:
    """A middleware counting each answer by endpoint and status, and timing it. `known` says
    whether a ClearML endpoint name is registered: others count as "unknown", so a client
    cannot grow the label set."""

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        started, status = time.monotonic(), 500
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            status = exc.status
            raise
        else:
            status = response.status
            return response
        finally:
            endpoint = endpoint_of(request, known)
            signals = request.app[SIGNALS]
            signals.requests.labels(endpoint, str(status)).inc()
            signals.request_seconds.labels(endpoint).observe(time.monotonic() - started)

    return observe


def endpoint_of(request: web.Request, known: Callable[[str], bool]) -> str:
    """The ClearML endpoint name, else the matched route's pattern (KFP, files), else unknown."""
    route = request.match_info.route.resource
    pattern = route.canonical if route is not None else ""
    if pattern.endswith("{tail}"):  # the ClearML catch-all
        parsed = parse_path(request.path)
        return parsed[0] if parsed is not None and known(parsed[0]) else "unknown"
    return pattern or "unknown"
