"""tasks.*_many: one command per id, answered as ClearML's batch reply
({succeeded: [{id, ...}], failed: [{id, error: {codes, msg, data}}]}); one failing id never
fails the others."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks import actions
from api.clearml.tasks.replies import send
from api.clearml.workers import serving
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import Rejected
from commands.tasks import messages as c

Item = Callable[[str], Awaitable[dict[str, Any]]]


async def each(ids: tuple[str, ...], item: Item) -> dict[str, Any]:
    results = await asyncio.gather(*(_one(i, item) for i in ids))
    return {
        "succeeded": [r for r in results if "error" not in r],
        "failed": [r for r in results if "error" in r],
    }


async def _one(task: str, item: Item) -> dict[str, Any]:
    try:
        return {"id": task, **await item(task)}
    except Rejected as exc:
        error = {"codes": [exc.code, exc.subcode], "msg": exc.message, "data": exc.data}
        return {"id": task, "error": error}


def _ids(call: Call) -> tuple[str, ...]:
    return fields.strings(call.data, "ids", required=True) or ()


def _reasons(call: Call) -> dict[str, str]:
    d = call.data
    return {
        "status_reason": fields.string(d, "status_reason") or "",
        "status_message": fields.string(d, "status_message") or "",
    }


def _commanding(call: Call, svc: Services, make: Callable[[str], c.TaskCommand]) -> Item:
    async def item(task: str) -> dict[str, Any]:
        return await send(call, svc, make(task))

    return item


async def stop_many(call: Call, svc: Services) -> dict[str, Any]:
    force, name = fields.boolean(call.data, "force"), call.who.user_name or call.who.user
    make = lambda t: c.StopTask(t, force, **_reasons(call), user_name=name)  # noqa: E731
    return await each(_ids(call), _commanding(call, svc, make))


async def publish_many(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    force, model = fields.boolean(d, "force"), fields.boolean(d, "publish_model", default=True)
    make = lambda t: c.PublishTask(t, force, **_reasons(call), publish_model=model)  # noqa: E731
    return await each(_ids(call), _commanding(call, svc, make))


async def enqueue_many(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    queue, name = fields.string(d, "queue") or None, fields.string(d, "queue_name") or None
    make = lambda t: c.EnqueueTask(t, **_reasons(call), queue=queue, queue_name=name)  # noqa: E731
    send_one = _commanding(call, svc, make)

    async def item(task: str) -> dict[str, Any]:
        reply = await send_one(task)
        return {**reply, "queued": bool(reply.pop("queued", 0))}

    out = await each(_ids(call), item)
    if fields.boolean(d, "verify_watched_queue") and out["succeeded"]:
        used = out["succeeded"][0].get("fields", {}).get("execution.queue")
        if used:
            out["queue_watched"] = bool(await serving.workers_of(svc, call.who.company, used))
    return out


async def dequeue_many(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    new_status = fields.string(d, "new_status") or None
    everywhere = fields.boolean(d, "remove_from_all_queues")
    make = lambda t: c.DequeueTask(  # noqa: E731
        t, **_reasons(call), new_status=new_status, remove_from_all_queues=everywhere
    )
    send_one = _commanding(call, svc, make)

    async def item(task: str) -> dict[str, Any]:
        reply = await send_one(task)
        return {**reply, "dequeued": bool(reply.pop("dequeued", 0))}

    return await each(_ids(call), item)


async def reset_many(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = lambda t: c.ResetTask(  # noqa: E731
        t, fields.boolean(d, "force"), **_reasons(call),
        clear_all=fields.boolean(d, "clear_all"),
        delete_output_models=fields.boolean(d, "delete_output_models", default=True),
    )  # fmt: skip
    send_one = _commanding(call, svc, command)
    ids, urls = _ids(call), fields.boolean(d, "return_file_urls")
    artifacts = await actions.artifact_urls(call, svc, ids) if urls else {}

    async def item(task: str) -> dict[str, Any]:
        reply = actions.with_urls(await send_one(task), urls)
        reply = actions.add_urls(reply, artifacts.get(task))
        return {**reply, "dequeued": bool(reply.pop("dequeued", {}).get("removed"))}

    return await each(ids, item)


async def delete_many(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    urls = fields.boolean(d, "return_file_urls")
    command = lambda t: c.DeleteTask(  # noqa: E731
        t, fields.boolean(d, "force"), **_reasons(call),
        delete_output_models=fields.boolean(d, "delete_output_models", default=True),
        return_file_urls=urls,
    )  # fmt: skip
    ids = _ids(call)
    artifacts = await actions.artifact_urls(call, svc, ids) if urls else {}
    send_one = _commanding(call, svc, command)

    async def item(task: str) -> dict[str, Any]:
        reply = await send_one(task)
        return {**actions.add_urls(reply, artifacts.get(task)), "deleted": True}

    return await each(ids, item)


async def archive_many(call: Call, svc: Services) -> dict[str, Any]:
    async def item(task: str) -> dict[str, Any]:
        await actions.archive_one(call, svc, task, **_reasons(call))
        return {"archived": True}

    return await each(_ids(call), item)


async def unarchive_many(call: Call, svc: Services) -> dict[str, Any]:
    async def item(task: str) -> dict[str, Any]:
        await send(call, svc, c.UnarchiveTask(task, **_reasons(call)))
        return {"unarchived": True}

    return await each(_ids(call), item)


ENDPOINTS = [
    Endpoint("tasks.stop_many", stop_many, min_version="2.13"),
    Endpoint("tasks.publish_many", publish_many, min_version="2.13"),
    Endpoint("tasks.enqueue_many", enqueue_many, min_version="2.13"),
    Endpoint("tasks.dequeue_many", dequeue_many, min_version="2.13"),
    Endpoint("tasks.reset_many", reset_many, min_version="2.13"),
    Endpoint("tasks.delete_many", delete_many, min_version="2.13"),
    Endpoint("tasks.archive_many", archive_many, min_version="2.13"),
    Endpoint("tasks.unarchive_many", unarchive_many, min_version="2.13"),
]
