"""queues.* operations on tasks: add, get_next_task (the atomic pop), remove, move, clear,
metadata, peek, get_num_entries, and get_all_ex (entries with task names, serving workers)."""

from __future__ import annotations

from typing import Any

import orjson

from api import fields
from api.call import Call
from api.clearml.queues import handlers as queues
from api.clearml.tasks.replies import send
from api.clearml.tasks.requests import checked_list
from api.clearml.workers import serving as workers_seam
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.queues import task_messages as m
from projections.queues import read as queue_read
from projections.tasks import read as task_read
from projections.timefmt import iso


def _queue_task(call: Call) -> tuple[str, str]:
    return fields.req_string(call.data, "queue"), fields.req_string(call.data, "task")


async def add_task(call: Call, svc: Services) -> dict[str, Any]:
    update = fields.boolean(call.data, "update_execution_queue")
    return await send(call, svc, m.AddTaskToQueue(*_queue_task(call), update))


async def get_next_task(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = m.GetNextTask(
        queue=fields.req_string(d, "queue"),
        task=fields.string(d, "task") or None,
        get_task_info=fields.boolean(d, "get_task_info"),
    )
    reply = await send(call, svc, command)
    if "entry" in reply:
        reply["entry"]["added"] = iso(reply["entry"]["added"])
    return reply


async def remove_task(call: Call, svc: Services) -> dict[str, Any]:
    update = fields.boolean(call.data, "update_task_status")
    return await send(call, svc, m.RemoveTaskFromQueue(*_queue_task(call), update))


def _move(sign: int | None, where: str = "") -> Any:
    async def handler(call: Call, svc: Services) -> dict[str, Any]:
        move = where or str(sign * (fields.integer(call.data, "count", default=1) or 1))
        return await send(call, svc, m.MoveTaskInQueue(*_queue_task(call), move))

    return handler


async def clear_queue(call: Call, svc: Services) -> dict[str, Any]:
    return await send(call, svc, m.ClearQueue(fields.req_string(call.data, "queue")))


async def add_or_update_metadata(call: Call, svc: Services) -> dict[str, Any]:
    items = checked_list(call.data.get("metadata"), "metadata", ("key",))
    put = {i["key"]: orjson.dumps({**i}).decode() for i in items}
    replace = fields.boolean(call.data, "replace_metadata")
    command = m.EditQueueMetadata(fields.req_string(call.data, "queue"), put, (), replace)
    return await send(call, svc, command)


async def delete_metadata(call: Call, svc: Services) -> dict[str, Any]:
    keys = fields.strings(call.data, "keys", required=True) or ()
    command = m.EditQueueMetadata(fields.req_string(call.data, "queue"), {}, keys)
    return await send(call, svc, command)


async def _entries(call: Call, svc: Services) -> list[dict[str, Any]]:
    queue = fields.req_string(call.data, "queue")
    doc = await queue_read.one(svc.store, call.who.company, queue)
    if doc is None:
        raise errors.InvalidQueueId(queue_id=queue)
    return doc["entries"]


async def peek_task(call: Call, svc: Services) -> dict[str, Any]:
    entries = await _entries(call, svc)
    return {"task": entries[0]["task"] if entries else None}


async def get_num_entries(call: Call, svc: Services) -> dict[str, Any]:
    return {"num": len(await _entries(call, svc))}


async def get_all_ex(call: Call, svc: Services) -> dict[str, Any]:
    result = await queues.get_all(call, svc)
    company = call.who.company
    task_ids = [e["task"] for q in result["queues"] for e in q.get("entries", [])]
    names = await task_read.names(svc.store, company, list(dict.fromkeys(task_ids)))
    workers = await workers_seam.workers_by_queue(svc, company)
    for queue in result["queues"]:
        for entry in queue.get("entries", []):
            name = names.get(entry["task"])
            entry["task"] = {"id": entry["task"], **({"name": name} if name else {})}
        queue["workers"] = workers.get(queue["id"], [])
    return result


ENDPOINTS = [
    Endpoint("queues.add_task", add_task, min_version="2.4"),
    Endpoint("queues.get_next_task", get_next_task),
    Endpoint("queues.remove_task", remove_task, min_version="2.4"),
    Endpoint("queues.move_task_forward", _move(-1), min_version="2.4"),
    Endpoint("queues.move_task_backward", _move(1), min_version="2.4"),
    Endpoint("queues.move_task_to_front", _move(None, m.FIRST), min_version="2.4"),
    Endpoint("queues.move_task_to_back", _move(None, m.LAST), min_version="2.4"),
    Endpoint("queues.clear_queue", clear_queue),
    Endpoint("queues.add_or_update_metadata", add_or_update_metadata, min_version="2.13"),
    Endpoint("queues.delete_metadata", delete_metadata, min_version="2.13"),
    Endpoint("queues.peek_task", peek_task, min_version="2.15"),
    Endpoint("queues.get_num_entries", get_num_entries, min_version="2.15"),
    Endpoint("queues.get_all_ex", get_all_ex, min_version="2.4"),
]
