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
from projections.queues import rows as view


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
    rows = await svc.store.execute(view.SELECT_ONE, [call.who.company, queue_id])
    if not rows:
        raise errors.InvalidQueueId(queue_id=queue_id)
    return {"queue": conform(call, await _document(svc, rows[0]))}


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    rows = await svc.store.execute(view.SELECT_ALL, [call.who.company])
    ids = bounds.capped(fields.strings(d, "id"), "id", bounds.MAX_IDS)
    if ids is not None:
        rows = [r for r in rows if r["id"] in ids]
    if (name := fields.string(d, "name")) is not None:
        regex = listing.pattern(name)
        rows = [r for r in rows if regex.search(r["name"])]
    for column in ("tags", "system_tags"):
        if query := fields.strings(d, column):
            rows = [r for r in rows if listing.tags_match(r[column] or [], query)]
    docs = await asyncio.gather(*(_document(svc, r) for r in rows))
    docs = listing.order(list(docs), fields.strings(d, "order_by") or ("created",))
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
    rows = await svc.store.execute(view.SELECT_ALL, [call.who.company])
    defaults = [r for r in rows if DEFAULT_TAG in (r["system_tags"] or [])]
    if not defaults:
        raise errors.NoDefaultQueue()
    if len(defaults) > 1:
        raise errors.MultipleDefaultQueues(queues=[r["id"] for r in defaults])
    return {"id": defaults[0]["id"], "name": defaults[0]["name"]}


async def _document(svc: Services, row: dict[str, Any]) -> dict[str, Any]:
    entries = await svc.store.execute(view.SELECT_ENTRIES, [row["company"], row["id"]])
    return view.to_api(row, entries)


ENDPOINTS = [
    Endpoint("queues.create", create),
    Endpoint("queues.update", update),
    Endpoint("queues.delete", delete),
    Endpoint("queues.get_by_id", get_by_id),
    Endpoint("queues.get_all", get_all),
    Endpoint("queues.get_default", get_default),
]
