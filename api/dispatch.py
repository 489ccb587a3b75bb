"""The single entry point for ClearML calls: any method, any `/[vX.Y/]service.action` path."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable

from aiohttp import web

from api import auth, schemas
from api.call import Call, header_text
from api.endpoints import MAX_VERSION, Registry
from api.envelope import bare_error, error_response, respond
from api.parsing import merge_query, parse_body, parse_path
from api.services import Services
from api.validation import validate
from commands.errors import Rejected
from commands.limits import MAX_COMMAND_BYTES

TELEMETRY = frozenset({"events.add", "events.add_batch"})
REGISTRY = web.AppKey("registry", Registry)
SERVICES = web.AppKey("services", Services)


async def dispatch(request: web.Request) -> web.StreamResponse:
    if request.method == "OPTIONS":
        return web.Response(status=200)
    parsed = parse_path(request.path)
    if parsed is None:
        if request.path.startswith("/apis/"):  # a KFP route we lack: KFP's error body (api/edge)
            raise web.HTTPNotFound()
        return bare_error(request.path, 400, f"Invalid request path {request.path}")
    name, requested = parsed
    call = _new_call(request, name, requested or MAX_VERSION)
    endpoint = request.app[REGISTRY].resolve(name, call.requested_version)
    if endpoint is None:
        message = f"Unable to find endpoint for name {name} and version {call.requested_version}"
        return respond(call, {}, code=404, message=message)
    call.actual_version = endpoint.min_version
    services = request.app[SERVICES]
    try:
        await _read_request(request, call, services)
        if endpoint.authorize:
            call.identity = await auth.authenticate(request, services)
        elif endpoint.identify:
            call.identity = await auth.identify(request, services)
        _validate(call)
        data = await endpoint.handler(call, services)
    except Exception as exc:
        return error_response(call, exc)
    if isinstance(data, web.StreamResponse):  # a file download (events.download_task_log)
        return data
    return _with_cookies(respond(call, data), call.cookies)


def _new_call(request: web.Request, name: str, version: str) -> Call:
    call_id = uuid.uuid4().hex
    headers = {k.lower(): header_text(v) for k, v in request.headers.items()}
    trx = headers.get("x-clearml-trx") or headers.get("x-trains-trx")
    return Call(
        call_id,
        trx or call_id,
        name,
        version,
        headers=headers,
        request_id=trx,
        remote=request.remote,
    )


def _validate(call: Call) -> None:
    """The endpoint's request schema (api/schemas/), after authentication as in ClearML."""
    schema = schemas.checked(call.endpoint)
    if schema is not None:
        validate(schema, call.data if call.batch is None else {"requests": call.batch})


def _with_cookies(response: web.Response, cookies: dict[str, str | None]) -> web.Response:
    for name, value in cookies.items():
        if value is None:
            response.del_cookie(name)
        else:
            response.set_cookie(name, value, httponly=True, samesite="Lax")
    return response


async def _read_request(request: web.Request, call: Call, services: Services) -> None:
    if request.headers.get("Content-Encoding"):
        raise Unsupported("compressed request bodies are not accepted")
    telemetry = call.endpoint in TELEMETRY  # events are checked one by one (commands/ingest)
    limit = services.settings.max_request_bytes if telemetry else MAX_COMMAND_BYTES
    raw = await in_time(_body(request, limit), services.settings.body_timeout_s)
    data, batch = parse_body(raw, request.content_type)
    call.data = merge_query(data, list(request.query.items()))
    call.batch = batch


async def in_time(body: Awaitable[bytes], seconds: float) -> bytes:
    """A body not received within `seconds` (an idle or trickling client) is a 408."""
    try:
        async with asyncio.timeout(seconds):
            return await body
    except TimeoutError:
        raise SlowBody(limit_s=seconds) from None


async def _body(request: web.Request, limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(size=request.content_length, limit=limit)
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


class TooLarge(Rejected):
    code, subcode, default = 413, 0, "request entity too large"


class SlowBody(Rejected):
    code, subcode, default = 408, 0, "request body not received in time"


class Unsupported(Rejected):
    code, subcode, default = 415, 0, "unsupported media type"
