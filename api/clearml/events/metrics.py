"""events.get_task_metrics (per task, the metrics it reported events of one type, or any) and
events.get_multi_task_metrics (the metrics and variants of several tasks together)."""

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


async def _variants(svc: Services, where: Where, kind: str | None) -> dict[str, set[str]]:
    """metric -> its variants; log lines carry none (as in ClearML, whose log events lack one)."""
    kinds = [kind] if kind else [k for k in EVENT_TYPES if k != LOG]
    found: dict[str, set[str]] = {}
    for k in kinds:
        if k == SCALAR:
            of_kind: dict[str, Any] = await scalars.metrics_and_variants(svc.store, where)
        elif k != LOG:
            of_kind = await events.variants(svc.store, where, k)
        else:
            continue
        for metric, variants in of_kind.items():
            found.setdefault(metric, set()).update(variants)
    return found


async def _metrics(svc: Services, where: Where, kind: str | None) -> list[str]:
    return sorted(await _variants(svc, where, kind))


def _kind(data: dict[str, Any]) -> str | None:
    kind = fields.string(data, "event_type")
    if kind and kind not in EVENT_TYPES:
        raise errors.ValidationError(f"field 'event_type' must be one of {', '.join(EVENT_TYPES)}")
    return kind


async def _known(svc: Services, company: str, tasks: list[str], models: bool) -> None:
    if models:
        for model in tasks:
            await known_task(svc, company, model, models=True)
    else:
        await task_names(svc, company, tasks)  # unknown (or another company's): 400/101


async def _known_tasks(call: Call, svc: Services) -> tuple[list[str], str | None, str]:
    """The request's tasks (capped, each known to the caller), event kind and company."""
    tasks = list(fields.strings(call.data, "tasks", required=True) or ())
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    kind, company = _kind(call.data), call.who.company
    await _known(svc, company, tasks, model_events(call.data))
    return tasks, kind, company


async def get_task_metrics(call: Call, svc: Services) -> dict[str, Any]:
    tasks, kind, company = await _known_tasks(call, svc)
    found = await asyncio.gather(*(_metrics(svc, (company, t), kind) for t in tasks))
    return {"metrics": [{"task": t, "metrics": m} for t, m in zip(tasks, found, strict=True)]}


async def get_multi_task_metrics(call: Call, svc: Services) -> dict[str, Any]:
    tasks, kind, company = await _known_tasks(call, svc)
    found = await asyncio.gather(*(_variants(svc, (company, t), kind) for t in tasks))
    union: dict[str, set[str]] = {}
    for per_task in found:
        for metric, variants in per_task.items():
            union.setdefault(metric, set()).update(variants)
    return {"metrics": [{"metric": m, "variants": sorted(v)} for m, v in sorted(union.items())]}


ENDPOINTS = [
    Endpoint("events.get_task_metrics", get_task_metrics),
    Endpoint("events.get_multi_task_metrics", get_multi_task_metrics),
]
