"""The ClearML response envelope and the one mapping from exceptions to result codes."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import orjson
from aiohttp import web

from api.call import Call, header_text
from api.endpoints import MAX_VERSION
from commands.errors import Rejected
from streams.cassandra.store import CassandraRefused, CassandraUnavailable
from streams.kafka.command_bus import ServiceUnavailable
from streams.kafka.producer import KafkaUnavailable

log = logging.getLogger(__name__)
UNAVAILABLE = (ServiceUnavailable, KafkaUnavailable, CassandraUnavailable)


def respond(
    call: Call,
    data: Any,
    *,
    code: int = 200,
    subcode: int = 0,
    message: str = "OK",
    error_data: dict[str, Any] | None = None,
) -> web.Response:
    """The envelope; the HTTP status always equals result_code, as the clients expect."""
    body = {
        "meta": {
            "id": call.id,
            "trx": call.trx,
            "endpoint": {
                "name": call.endpoint,
                "requested_version": call.requested_version,
                "actual_version": call.actual_version or call.requested_version,
            },
            "result_code": code,
            "result_subcode": subcode,
            "result_msg": message,
            "error_stack": None,
            "error_data": error_data or {},
        },
        "data": data if data is not None else {},
    }
    try:
        encoded = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    except orjson.JSONEncodeError as exc:  # a bug: answered 500, still as the envelope
        log.exception("%s: reply not encodable", call.endpoint, exc_info=exc)
        return bare_error(call.endpoint, 500, f"General server error: {exc}")  # no echo
    return web.Response(body=encoded, status=code, content_type="application/json")


def bare_error(endpoint: str, code: int, message: str) -> web.Response:
    """The envelope of an error that came before any endpoint (bad path, HTTP-level)."""
    call_id, endpoint, message = uuid.uuid4().hex, header_text(endpoint), header_text(message)
    return respond(Call(call_id, call_id, endpoint, MAX_VERSION), {}, code=code, message=message)


def error_response(call: Call, exc: BaseException) -> web.Response:
    """Rejections keep their code; an unavailable Kafka or Cassandra is 503 (the SDK retries
    503 forever, and drops data on other 5xx); anything else is a bug, answered 500."""
    if isinstance(exc, Rejected):
        return respond(
            call,
            {},
            code=exc.code,
            subcode=exc.subcode,
            message=exc.message,
            error_data=_plain(exc.data),
        )
    if isinstance(exc, CassandraRefused):  # a value the store cannot take, e.g. a 70 KB key
        return respond(call, {}, code=400, subcode=12, message=f"Validation error: {exc}")
    if isinstance(exc, UNAVAILABLE):
        log.warning("%s unavailable: %s", call.endpoint, exc)
        return respond(call, {}, code=503, message=f"Service unavailable: {exc}")
    log.exception("%s failed", call.endpoint, exc_info=exc)
    return respond(call, {}, code=500, message=f"General server error: {type(exc).__name__}")


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return orjson.loads(orjson.dumps(data, default=str))
