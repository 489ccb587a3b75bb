"""queues.* handlers: parse, build the command or query, await, shape the response."""

from __future__ import annotations

import asyncio
from typing import Any

from api import bounds, fields
from api.call import Call
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
    )
    return await svc.bus.send(call.who, command, call.request_id)


async def update(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = UpdateQueue(
        queue=fields.req_string(d, "queue"),
        name=fields.string(d, "name"),
        tags=fields.strings(d, "tags"),
        system_tags=fields.strings(d, "system_tags"),
        display_name=fields.string(d, "display_name"),
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
    return {"queue": conform(call, doc)}


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    docs = await queue_read.listed(svc.store, call.who.company)
    ids = bounds.capped(fields.strings(d, "id"), "id", bounds.MAX_IDS)
    if ids is not None:
        docs = [q for q in docs if q["id"] in ids]
    if (name := fields.string(d, "name")) is not None:
        regex = listing.pattern(name)
        docs = [q for q in docs if regex.search(q["name"])]
    for column in ("tags", "system_tags"):
        if query := fields.strings(d, column):
            docs = [q for q in docs if listing.tags_match(q[column], query)]
    docs = list(await asyncio.gather(*(queue_read.filled(svc.store, q) for q in docs)))
    docs = listing.order(docs, fields.strings(d, "order_by") or ("created",))
    size = bounds.page_size(fields.integer(d, "page_size"))
    docs = listing.page(docs, fields.integer(d, "page"), size)
    if only := fields.strings(d, "only_fields"):
        docs = [listing.only_fields(doc, only) for doc in docs]
    return {"queues": [conform(call, doc) for doc in docs]}


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
