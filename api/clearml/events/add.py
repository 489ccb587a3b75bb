"""events.add, events.add_batch and events.delete_for_task: telemetry appended to ts.metrics.

Items with `model_event: true` name a model in `task` (OutputModel.report_scalar and the like):
they are checked against the models read model and stored under the model's id.

The reply is sent only once Kafka acknowledged every record with acks=all (G1); an
unreachable broker surfaces as KafkaUnavailable, answered 503 so the SDK retries.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from api import fields
from api.call import Call
from api.clearml.events.task_gate import gate
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.telemetry.ingest import ingest, split_model_events, tasks_of
from commands.telemetry.metrics import TaskTelemetryCleared
from projections.models import telemetry_gate as model_rows
from projections.tasks import telemetry_gate as task_rows


async def add(call: Call, svc: Services) -> dict[str, Any]:
    return await _add(call, svc, [call.data])


async def add_batch(call: Call, svc: Services) -> dict[str, Any]:
    requests = call.batch
    if requests is None:
        requests = call.data.get("requests")
        if requests is not None and not isinstance(requests, list):
            raise errors.ValidationError("field 'requests' must be a list")
    if not requests:
        raise errors.BatchContainsNoItems()
    return await _add(call, svc, requests)  # an item not an object is counted as an error


async def _add(call: Call, svc: Services, events: list[dict[str, Any]]) -> dict[str, Any]:
    company = call.who.company
    for_models, for_tasks = split_model_events(events)
    now = int(time.time() * 1000)
    worker = call.header("Worker")
    valid = await gate(svc).accepting(svc, company, tasks_of(for_tasks))
    result = ingest(for_tasks, valid, worker, now, _new_id)
    if for_models:  # series keyed by the model id: their own partitions, read with model_events
        models = await _models(svc, company, tasks_of(for_models))
        result = result.merged(ingest(for_models, models, worker, now, _new_id), models)
    if not result.added:
        raise errors.EventsNotAdded(**result.errors)
    await svc.telemetry.append(call.who, result.records, call.request_id, result.models)
    errors_count = sum(result.errors.values())
    return {"added": result.added, "errors": errors_count, "errors_info": dict(result.errors)}


async def _models(svc: Services, company: str, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    return await model_rows.existing(svc.store, company, ids)


async def delete_for_task(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    allow_locked = fields.boolean(call.data, "allow_locked")
    company = call.who.company
    if task not in await _existing(svc, company, task, allow_locked):
        raise errors.InvalidTaskId(id=task)
    cleared = TaskTelemetryCleared(task, "delete_for_task")
    await svc.telemetry.append(call.who, [cleared], call.request_id)
    return {"deleted": True}


async def _existing(svc: Services, company: str, task: str, allow_locked: bool) -> set[str]:
    if not allow_locked:
        return await gate(svc).accepting(svc, company, [task])
    return await task_rows.existing(svc.store, company, [task])


def _new_id() -> str:
    return uuid.uuid4().hex


ENDPOINTS = [
    Endpoint("events.add", add),
    Endpoint("events.add_batch", add_batch),
    Endpoint("events.delete_for_task", delete_for_task),
]
