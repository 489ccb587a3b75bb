"""queues.* handlers: parse, build the command or query, await, shape the response."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from api import bounds, fields
from api.call import Call
from api.clearml.queues import listed
from api.endpoints import Endpoint, version_key
from api.services import Services
from commands import errors
from commands.queues.lifecycle import DEFAULT_TAG, CreateQueue, DeleteQueue, UpdateQueue
from projections import listing
from projections.queues import read as queue_read


async def create(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = CreateQueue(
        name=fields.req_string(d, "name"),
        tags=fields.strings(d, "tags") or (),
        system_tags=fields.strings(d, "system_tags") or (),
        display_name=fields.string(d, "display_name"),
        metadata=metadata(d.get("metadata")),
    )
    return await svc.bus.send(call.who, command, call.request_id)


def metadata(value: Any) -> dict[str, str] | None:
    """ClearML's metadata (a map of key -> {key, type, value}, or a list of items) as the
    queue stores it: key -> the item's JSON. None when not given."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = [{"key": k, **v} if isinstance(v, dict) else v for k, v in value.items()]
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(i, dict) and i.get("key") for i in items):
        raise errors.ValidationError("metadata items need a key")
    return {str(i["key"]): orjson.dumps({**i, "key": str(i["key"])}).decode() for i in items}


async def update(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = UpdateQueue(
        queue=fields.req_string(d, "queue"),
        name=fields.string(d, "name"),
        tags=fields.strings(d, "tags"),
        system_tags=fields.strings(d, "system_tags"),
        display_name=fields.string(d, "display_name"),
        metadata=metadata(d.get("metadata")),
    )
    return await svc.bus.send(call.who, command, call.request_id)


async def delete(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = DeleteQueue(fields.req_string(d, "queue"), fields.boolean(d, "force"))
    return await svc.bus.send(call.who, command, call.request_id)


async def get_by_id(call: Call, svc: Services) -> dict[str, Any]:
    queue_id = fields.req_string(call.data, "queue")
    doc = await queue_read.one(svc.store, call.who.company, queue_id)
    if doc is None:
        raise errors.InvalidQueueId(queue_id=queue_id)
    return {"queue": conform(call, listed.capped(doc, listed.max_entries(call.data)))}


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    docs = listed.visible(d, await queue_read.listed(svc.store, call.who.company))
    ids = bounds.capped(fields.strings(d, "id"), "id", bounds.MAX_IDS)
    if ids is not None:
        docs = [q for q in docs if q["id"] in ids]
    if (name := fields.string(d, "name")) is not None:
        regex = listing.pattern(name)
        docs = [q for q in docs if regex.search(q["name"])]
    for column in ("tags", "system_tags"):
        if query := fields.strings(d, column):
            docs = [q for q in docs if listing.tags_match(q[column], query)]
    docs = listing.order(docs, fields.strings(d, "order_by") or ("created",))
    docs, scroll_id = listed.scrolled(d, docs)
    limit = listed.max_entries(d)
    filled = await asyncio.gather(*(queue_read.filled(svc.store, q) for q in docs))
    docs = [listed.capped(doc, limit) for doc in filled]
    if only := fields.strings(d, "only_fields"):
        docs = [listing.only_fields(doc, only) for doc in docs]
    out: dict[str, Any] = {"queues": [conform(call, doc) for doc in docs]}
    return {**out, "scroll_id": scroll_id} if scroll_id is not None else out


def conform(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    """Clients up to 2.16 know metadata as a list: ClearML gives them an empty one."""
    if "metadata" in doc and version_key(call.requested_version) <= (2, 16):
        doc["metadata"] = []
    return doc


async def get_default(call: Call, svc: Services) -> dict[str, Any]:
    docs = await queue_read.listed(svc.store, call.who.company)
    defaults = [q for q in docs if DEFAULT_TAG in q["system_tags"]]
    if not defaults:
        raise errors.NoDefaultQueue()
    if len(defaults) > 1:
        raise errors.MultipleDefaultQueues(queues=[r["id"] for r in defaults])
    return {"id": defaults[0]["id"], "name": defaults[0]["name"]}


ENDPOINTS = [
    Endpoint("queues.create", create),
    Endpoint("queues.update", update),
    Endpoint("queues.delete", delete),
    Endpoint("queues.get_by_id", get_by_id),
    Endpoint("queues.get_all", get_all),
    Endpoint("queues.get_default", get_default),
]
