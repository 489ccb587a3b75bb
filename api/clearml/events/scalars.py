"""Scalar reads: downsampled histograms from the pyramid, latest values, metric listings."""

from __future__ import annotations

import asyncio
from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events, task_names
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.scalars import documents, downsample, read

KEYS = ("iter", "timestamp", "iso_time")


def _samples(data: dict[str, Any]) -> int:
    samples = (
        fields.integer(data, "samples", downsample.DEFAULT_SAMPLES) or downsample.DEFAULT_SAMPLES
    )
    if samples < 1:
        raise errors.ValidationError("field 'samples' must be at least 1")
    return min(samples, downsample.MAX_SAMPLES)


def _key(data: dict[str, Any]) -> str:
    key = fields.string(data, "key") or "iter"
    if key not in KEYS:
        raise errors.ValidationError(f"field 'key' must be one of {', '.join(KEYS)}")
    return key


async def histogram(
    svc: Services, company: str, task: str, *, samples: int, key: str, metrics: Any = None
) -> dict[str, dict[str, Any]]:
    where = (company, task)
    chosen = [s for s in await read.series(svc.store, where, metrics) if s.count]
    answers = await asyncio.gather(*(read.xy(svc.store, where, s, samples, key) for s in chosen))
    return documents.plots(chosen, answers)


async def scalar_metrics_iter_histogram(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    metrics = d.get("metrics")
    return await histogram(
        svc, call.who.company, task, samples=_samples(d), key=_key(d), metrics=metrics
    )


async def multi_task_scalar_metrics_iter_histogram(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    tasks = d.get("tasks")
    if isinstance(tasks, str):
        tasks = [t.strip() for t in tasks.split(",")]
    if not tasks or not isinstance(tasks, list):
        raise errors.MissingRequiredFields(fields="tasks")
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    company, samples, key = call.who.company, _samples(d), _key(d)
    names = await task_names(svc, company, tasks)
    metrics = d.get("metrics")
    per_task = await asyncio.gather(
        *(histogram(svc, company, t, samples=samples, key=key, metrics=metrics) for t in tasks)
    )
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for task, found in zip(tasks, per_task, strict=True):
        for metric, variants in found.items():
            for variant, data in variants.items():
                data["name"] = names.get(task, task)
                out.setdefault(metric, {}).setdefault(variant, {})[task] = data
    return {"metrics": out}


async def get_scalar_metrics_and_variants(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    return {"metrics": await read.metrics_and_variants(svc.store, (call.who.company, task))}


async def get_task_latest_scalar_values(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    where = (call.who.company, task)
    series = await read.series(svc.store, where)
    lasts = await asyncio.gather(*(read.last_points(svc.store, where, s) for s in series))
    return documents.latest(series, lasts)


ENDPOINTS = [
    Endpoint("events.scalar_metrics_iter_histogram", scalar_metrics_iter_histogram),
    Endpoint(
        "events.multi_task_scalar_metrics_iter_histogram", multi_task_scalar_metrics_iter_histogram
    ),
    Endpoint("events.get_scalar_metrics_and_variants", get_scalar_metrics_and_variants),
    Endpoint("events.get_task_latest_scalar_values", get_task_latest_scalar_values),
]
