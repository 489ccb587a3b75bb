"""The request id: the caller's X-Request-Id (or a new one), bound to the request's log lines
(streams/logs.py) and echoed in the answer's X-Request-Id header."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from streams import logs

HEADER = "X-Request-Id"
# what a proxy or client typically sends (uuids, hex, trace ids); anything else is replaced,
# so a caller cannot write arbitrary text (or huge values) into every log line
_SANE = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")
REQUEST_ID = web.RequestKey("request_id", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def request_id(request: web.Request) -> str:
    sent = request.headers.get(HEADER, "")
    return sent if _SANE.fullmatch(sent) else uuid.uuid4().hex


@web.middleware
async def identified(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outermost middleware: every line logged while the request is served carries its id."""
    request[REQUEST_ID] = rid = request_id(request)
    with logs.bound(rid):
        return await handler(request)


async def echoed(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the id in every answer's headers, streamed ones and those aiohttp
    makes of raised HTTP exceptions included."""
    if (rid := request.get(REQUEST_ID)) is not None:
        response.headers[HEADER] = rid


def install(app: web.Application) -> None:
    """The header on answers; the middleware itself goes first in the app's middlewares."""
    app.on_response_prepare.append(echoed)
