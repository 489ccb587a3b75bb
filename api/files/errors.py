"""The file server's error envelope, and the one wrapper that maps exceptions to it.

Errors answer `{"error": {"code": <status>, "message": <text>}}` with that HTTP status; the SDK
shows the body when an upload fails, so the message says what to do.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from api.envelope import UNAVAILABLE
from api.files.storage import NotAFile, TooLarge
from commands.errors import Rejected

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FileError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def not_found(path: str) -> FileError:
    return FileError(404, f"File {path} not found")


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": {"code": status, "message": message}}, status=status)


# exceptions of the layers below, with the status and message they answer
MAPPED: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], int, str], ...] = (
    (TooLarge, 413, "Upload too large ({}); raise TS_MAX_UPLOAD_BYTES to allow it"),
    (NotAFile, 409, "A folder and a file collide at this path ({})"),
    (UNAVAILABLE, 503, "Service unavailable: {}"),
)


def answered(handler: Handler) -> Handler:
    """The handler, its exceptions answered in the envelope (a wrapper rather than a middleware:
    the routes also live on the API's app, whose catch-all dispatch answers its own way)."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except FileError as exc:
            return error(exc.status, exc.message)
        except Rejected as exc:
            return error(exc.code, exc.message)
        except Exception as exc:
            return _mapped(request, exc)

    return wrapped


def _mapped(request: web.Request, exc: Exception) -> web.Response:
    for kinds, status, message in MAPPED:
        if isinstance(exc, kinds):
            return error(status, message.format(exc))
    log.exception("%s %s failed", request.method, request.path, exc_info=exc)
    return error(500, "General server error")
