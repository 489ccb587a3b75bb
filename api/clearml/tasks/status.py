"""tasks.* status endpoints: started, stopped, failed, completed, close, publish, stop, reset,
delete, enqueue, dequeue, ping. Each is one command to the company's decider."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks import actions
from api.clearml.tasks.replies import send
from api.clearml.workers import serving
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import ValidationError
from commands.tasks import messages as c


def _status(cls: type[c.StatusCommand], call: Call, **extra: Any) -> c.StatusCommand:
    d = call.data
    return cls(
        task=fields.req_string(d, "task"),
        force=fields.boolean(d, "force"),
        status_reason=fields.string(d, "status_reason") or "",
        status_message=fields.string(d, "status_message") or "",
        **extra,
    )


def _simple(cls: type[c.StatusCommand]) -> Any:
    async def handler(call: Call, svc: Services) -> dict[str, Any]:
        return await send(call, svc, _status(cls, call))

    return handler


async def completed(call: Call, svc: Services) -> dict[str, Any]:
    publish = fields.boolean(call.data, "publish")
    return await send(call, svc, _status(c.MarkCompleted, call, publish=publish))


async def publish(call: Call, svc: Services) -> dict[str, Any]:
    publish_model = fields.boolean(call.data, "publish_model", default=True)
    return await send(call, svc, _status(c.PublishTask, call, publish_model=publish_model))


async def delete(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = _status(
        c.DeleteTask,
        call,
        delete_output_models=fields.boolean(d, "delete_output_models", default=True),
        return_file_urls=fields.boolean(d, "return_file_urls"),
    )
    if not command.return_file_urls:
        return await send(call, svc, command)
    uris = await actions.artifact_urls(call, svc, (command.task,))
    return actions.add_urls(await send(call, svc, command), uris.get(command.task))


async def stop(call: Call, svc: Services) -> dict[str, Any]:
    name = call.who.user_name or call.who.user
    return await send(call, svc, _status(c.StopTask, call, user_name=name))


async def reset(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    clear_all = fields.boolean(d, "clear_all")
    delete_models = fields.boolean(d, "delete_output_models", default=True)
    command = _status(c.ResetTask, call, clear_all=clear_all, delete_output_models=delete_models)
    if not fields.boolean(d, "return_file_urls"):
        return actions.with_urls(await send(call, svc, command), False)
    uris = await actions.artifact_urls(call, svc, (command.task,))
    return actions.add_urls(await send(call, svc, command), uris.get(command.task))


async def enqueue(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    verify = fields.boolean(d, "verify_watched_queue")
    update_queue = fields.boolean(d, "update_execution_queue", default=True)
    if verify and not update_queue:
        raise ValidationError(
            "verify_watched_queue cannot be used with update_execution_queue=False"
        )
    command = _status(
        c.EnqueueTask,
        call,
        queue=fields.string(d, "queue") or None,
        queue_name=fields.string(d, "queue_name") or None,
        update_execution_queue=update_queue,
    )
    reply = await send(call, svc, command)
    queue = reply.get("fields", {}).get("execution.queue")
    if verify and queue:
        reply["queue_watched"] = bool(await serving.workers_of(svc, call.who.company, queue))
    return reply


async def dequeue(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = _status(
        c.DequeueTask,
        call,
        new_status=fields.string(d, "new_status") or None,
        remove_from_all_queues=fields.boolean(d, "remove_from_all_queues"),
    )
    return await send(call, svc, command)


async def ping(call: Call, svc: Services) -> dict[str, Any]:
    return await send(call, svc, c.PingTask(fields.req_string(call.data, "task")))


ENDPOINTS = [
    Endpoint("tasks.started", _simple(c.MarkStarted)),
    Endpoint("tasks.stopped", _simple(c.MarkStopped)),
    Endpoint("tasks.failed", _simple(c.MarkFailed)),
    Endpoint("tasks.completed", completed, min_version="2.2"),
    Endpoint("tasks.close", _simple(c.CloseTask)),
    Endpoint("tasks.publish", publish),
    Endpoint("tasks.stop", stop),
    Endpoint("tasks.reset", reset),
    Endpoint("tasks.delete", delete),
    Endpoint("tasks.enqueue", enqueue),
    Endpoint("tasks.dequeue", dequeue),
    Endpoint("tasks.ping", ping),
]
