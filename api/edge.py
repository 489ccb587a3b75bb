"""The HTTP edge: every error answer is a ClearML envelope (KFP's error body under /apis/).

Two places produce answers outside the handlers: the error middleware (exceptions that
escape a handler, aiohttp's HTTP exceptions, unknown KFP routes) and aiohttp's protocol
itself, which answers a request it cannot parse (bad request line, oversized headers) in
plain text before any middleware runs; `EdgeRunner` serves with a protocol that answers
those with the same bodies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from api.envelope import bare_error
from api.kfp.errors import GRPC_OF_HTTP, INTERNAL_CODE, error_body, json_response

log = logging.getLogger(__name__)
KFP_PREFIX = "/apis/"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_answer(path: str, status: int, message: str) -> web.Response:
    if path.startswith(KFP_PREFIX):
        code = GRPC_OF_HTTP.get(status, INTERNAL_CODE if status >= 500 else 3)
        return json_response(error_body(code, message, message, ""), status)
    return bare_error(path.strip("/") or "/", status, message)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_answer(request.path, exc.status, exc.reason)
    except Exception as exc:  # a bug; the client still gets the envelope, the log the trace
        log.exception("%s %s failed", request.method, request.path, exc_info=exc)
        return error_answer(request.path, 500, f"General server error: {type(exc).__name__}")


class _Protocol(RequestHandler):
    def handle_error(
        self,
        request: Any,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        plain = super().handle_error(request, status, exc, message)  # logs; may raise if sent
        text = message or getattr(plain, "reason", None) or "Bad request"
        answer = error_answer(_path(request), status, text.splitlines()[0] if text else text)
        answer.force_close()
        return answer


def _path(request: Any) -> str:
    try:
        return str(request.path)
    except Exception:  # a request too malformed to have a path
        return "/"


class _Server(web.Server):
    def __call__(self) -> RequestHandler:
        return _Protocol(self, loop=self._loop, **self._kwargs)


class EdgeRunner(web.AppRunner):
    """An AppRunner whose connections answer unparsable requests with the error bodies."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _Server  # same state; only the protocol factory differs
        return server
