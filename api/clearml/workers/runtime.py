"""workers.set_runtime_properties / get_runtime_properties: per-worker string properties the
clearml-agent reads each round (commands/workers/runtime.py decides them)."""

from __future__ import annotations

import time
from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.workers.runtime import RuntimeProperty, SetWorkerRuntimeProperties
from projections.workers import read as workers_read


async def set_runtime_properties(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = SetWorkerRuntimeProperties(
        worker=fields.req_string(d, "worker"),
        properties=tuple(_property(p) for p in d.get("runtime_properties") or ()),
    )
    return await svc.bus.send(call.who, command, call.request_id)


def _property(raw: Any) -> RuntimeProperty:
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str) or not raw["key"]:
        raise errors.ValidationError("each runtime property needs a 'key'")
    value = raw.get("value")
    expiry = raw.get("expiry")
    if expiry is not None and (isinstance(expiry, bool) or not isinstance(expiry, int)):
        raise errors.ValidationError("runtime property 'expiry' must be an integer")
    return RuntimeProperty(raw["key"], None if value is None else str(value), expiry)


async def get_runtime_properties(call: Call, svc: Services) -> dict[str, Any]:
    worker = fields.req_string(call.data, "worker")
    who, now = call.who, int(time.time() * 1000)
    props = await workers_read.runtime_properties(svc.store, who.company, who.user, worker, now)
    return {"runtime_properties": props}


ENDPOINTS = [
    Endpoint("workers.set_runtime_properties", set_runtime_properties, min_version="2.10"),
    Endpoint("workers.get_runtime_properties", get_runtime_properties, min_version="2.10"),
]
