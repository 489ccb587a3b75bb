"""Scalar reads: downsampled histograms from the pyramid, latest values, metric listings."""

from __future__ import annotations

import asyncio
from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.scalars import queries as q
from projections.scalars import read as sr

KEYS = ("iter", "timestamp", "iso_time")
LAST_VALUES = 100
TASKS = "SELECT * FROM tasks WHERE company = ? AND id IN ?"


def _samples(data: dict[str, Any]) -> int:
    samples = fields.integer(data, "samples", sr.DEFAULT_SAMPLES) or sr.DEFAULT_SAMPLES
    if samples < 1:
        raise errors.ValidationError("field 'samples' must be at least 1")
    return min(samples, sr.MAX_SAMPLES)


def _key(data: dict[str, Any]) -> str:
    key = fields.string(data, "key") or "iter"
    if key not in KEYS:
        raise errors.ValidationError(f"field 'key' must be one of {', '.join(KEYS)}")
    return key


async def histogram(
    svc: Services, company: str, task: str, *, samples: int, key: str, metrics: Any = None
) -> dict[str, dict[str, Any]]:
    rows = await svc.store.execute(q.SERIES, [company, task])
    chosen = [s for s in q.wanted(rows, metrics) if s.count]
    answers = await asyncio.gather(
        *(_series(svc, (company, task), s, samples=samples, key=key) for s in chosen)
    )
    out: dict[str, dict[str, Any]] = {}
    for series, (xs, ys) in zip(chosen, answers, strict=True):
        out.setdefault(series.metric, {})[series.variant] = {
            "name": series.variant,
            "x": xs,
            "y": ys,
        }
    return out


async def _series(
    svc: Services, where: tuple[str, str], series: q.Series, *, samples: int, key: str
) -> sr.XY:
    plan = sr.plan(series.count, series.first_iter, series.last_iter, samples)
    params = [*where, series.metric, series.variant, plan.level]
    blocks = [r["data"] for r in await svc.store.execute(q.LEVEL_BLOCKS, params)]
    if plan.level == 0:
        return sr.from_raw(blocks, plan.interval, key)
    return sr.from_level(blocks, plan.interval, plan.level, key)


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
    per_task = await asyncio.gather(
        *(histogram(svc, company, t, samples=samples, key=key) for t in tasks)
    )
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for task, metrics in zip(tasks, per_task, strict=True):
        for metric, variants in metrics.items():
            for variant, data in variants.items():
                data["name"] = names.get(task, task)
                out.setdefault(metric, {}).setdefault(variant, {})[task] = data
    return {"metrics": out}


async def task_names(svc: Services, company: str, tasks: list[str]) -> dict[str, str]:
    rows = await svc.store.execute(
        "SELECT * FROM tasks WHERE company = ? AND id IN ?", [company, tasks]
    )
    found = {r["id"]: r.get("name") or r["id"] for r in rows}
    if missing := [t for t in tasks if t not in found]:
        raise errors.InvalidTaskId(ids=missing)
    return found


async def get_scalar_metrics_and_variants(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    rows = await svc.store.execute(q.SERIES, [call.who.company, task])
    metrics: dict[str, dict[str, Any]] = {}
    for row in rows:
        metrics.setdefault(row["metric"], {})[row["variant"]] = {"name": row["variant"]}
    return {"metrics": metrics}


async def get_task_latest_scalar_values(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    company = call.who.company
    series = q.wanted(await svc.store.execute(q.SERIES, [company, task]), None)
    lasts = await asyncio.gather(*(_last_points(svc, company, task, s) for s in series))
    metrics: dict[str, list[dict[str, Any]]] = {}
    last_iter, last_timestamp = 0, 0
    for s, points in zip(series, lasts, strict=True):
        if not points:
            continue
        numbers = [v for _i, v, _t in points if v == v]  # noqa: PLR0124 - NaN left out
        last_iter = max(last_iter, points[-1][0])
        last_timestamp = max(last_timestamp, *(t for _i, _v, t in points))
        metrics.setdefault(s.metric, []).append(
            {
                "name": s.variant,
                "last_value": points[-1][1],
                "last_100_value": sum(numbers) / len(numbers) if numbers else None,
            }
        )
    listed = [{"name": m, "variants": v} for m, v in sorted(metrics.items())]
    return {"metrics": listed, "last_iter": last_iter, "last_timestamp": last_timestamp}


async def _last_points(svc: Services, company: str, task: str, s: q.Series) -> list[Any]:
    """The last LAST_VALUES raw points of a series, reading blocks from the end."""
    limit = 1
    while True:
        params = [company, task, s.metric, s.variant, limit]
        rows = await svc.store.execute(q.RAW_LAST, params)
        points = list(q.points(r["data"] for r in reversed(rows)))
        if len(points) >= LAST_VALUES or len(rows) < limit:
            return points[-LAST_VALUES:]
        limit *= 4


ENDPOINTS = [
    Endpoint("events.scalar_metrics_iter_histogram", scalar_metrics_iter_histogram),
    Endpoint(
        "events.multi_task_scalar_metrics_iter_histogram", multi_task_scalar_metrics_iter_histogram
    ),
    Endpoint("events.get_scalar_metrics_and_variants", get_scalar_metrics_and_variants),
    Endpoint("events.get_task_latest_scalar_values", get_task_latest_scalar_values),
]
