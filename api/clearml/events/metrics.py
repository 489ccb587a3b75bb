"""events.get_task_metrics: per task, the metrics it reported events of one type (or any)."""

from __future__ import annotations

import asyncio
from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events, task_names
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.telemetry.metrics import EVENT_TYPES, LOG, SCALAR
from projections.events import read as events
from projections.scalars import read as scalars

Where = tuple[str, str]


async def _metrics(svc: Services, where: Where, kind: str | None) -> list[str]:
    """Sorted metric names; log lines carry none (as in ClearML, whose log events lack one)."""
    kinds = [kind] if kind else [k for k in EVENT_TYPES if k != LOG]
    found: set[str] = set()
    for k in kinds:
        if k == SCALAR:
            found |= set(await scalars.metrics_and_variants(svc.store, where))
        elif k != LOG:
            found |= set(await events.variants(svc.store, where, k))
    return sorted(found)


async def get_task_metrics(call: Call, svc: Services) -> dict[str, Any]:
    tasks = list(fields.strings(call.data, "tasks", required=True) or ())
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    kind = fields.string(call.data, "event_type")
    if kind and kind not in EVENT_TYPES:
        raise errors.ValidationError(f"field 'event_type' must be one of {', '.join(EVENT_TYPES)}")
    company = call.who.company
    if model_events(call.data):
        for model in tasks:
            await known_task(svc, company, model, models=True)
    else:
        await task_names(svc, company, tasks)  # unknown (or another company's): 400/101
    found = await asyncio.gather(*(_metrics(svc, (company, t), kind) for t in tasks))
    return {"metrics": [{"task": t, "metrics": m} for t, m in zip(tasks, found, strict=True)]}


ENDPOINTS = [Endpoint("events.get_task_metrics", get_task_metrics)]
