"""KFP's error body (grpc-gateway v1.16 DefaultHTTPError with api.Error details) and the one
mapping from exceptions to it: rejections keep their status, unavailable backends are 503."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from aiohttp import web

from api.envelope import UNAVAILABLE
from commands.errors import Rejected

log = logging.getLogger(__name__)
# HTTP status -> gRPC code, for rejections that are not KFP's own (authentication, body size)
GRPC_OF_HTTP = {400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 413: 8, 415: 3, 503: 14}
UNAVAILABLE_CODE, INTERNAL_CODE = 14, 13


def json_response(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


def error_body(code: int, message: str, external: str, details: str) -> dict[str, Any]:
    detail = {"@type": "type.googleapis.com/api.Error", "error_message": external}
    if details:
        detail["error_details"] = details
    return {"error": message, "code": code, "message": message, "details": [detail]}


def error_response(exc: BaseException, what: str) -> web.Response:
    if isinstance(exc, Rejected):
        return _rejection(exc)
    if isinstance(exc, UNAVAILABLE):
        log.warning("%s: backend unavailable: %s", what, exc)
        message = f"Service unavailable: {exc}"
        return json_response(error_body(UNAVAILABLE_CODE, message, message, message), 503)
    log.exception("%s failed", what, exc_info=exc)
    message = f"Internal error: {type(exc).__name__}"
    return json_response(error_body(INTERNAL_CODE, message, message, message), 500)


def _rejection(exc: Rejected) -> web.Response:
    data = exc.data or {}
    if "error_message" in data:  # a KFP rejection, possibly carried back from the decider
        external, details, message = data["error_message"], data["error_details"], exc.message
        code = exc.subcode
    else:
        external = details = message = exc.message
        code = GRPC_OF_HTTP.get(exc.code, 2)
    return json_response(error_body(code, message, str(external), str(details)), exc.code)
