"""Plots, debug images, vectors and single values: the last iterations per metric/variant."""

from __future__ import annotations

import asyncio
from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events, task_names
from api.endpoints import Endpoint
from api.services import Services
from commands.telemetry.metrics import PLOT, VECTOR
from projections.events import read as events
from projections.scalars import read as scalars


async def get_task_plots(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    iters = fields.integer(d, "iters", 1) or 1
    plots = await events.latest(svc.store, (call.who.company, task), PLOT, iters)
    if metrics := d.get("metrics"):
        keep = {(m.get("metric"), v) for m in metrics for v in m.get("variants") or [None]}
        plots = [p for p in plots if {(p["metric"], p["variant"]), (p["metric"], None)} & keep]
    return {"plots": plots, "returned": len(plots), "total": len(plots), "scroll_id": None}


async def get_multi_task_plots(call: Call, svc: Services) -> dict[str, Any]:
    """metric -> variant -> task -> iteration -> {name, plots}, the last `iters` iterations."""
    d = call.data
    tasks = fields.strings(d, "tasks", required=True) or ()
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    iters = fields.integer(d, "iters", 1) or 1
    company = call.who.company
    names = await task_names(svc, company, list(tasks))
    found = await asyncio.gather(
        *(events.latest(svc.store, (company, t), PLOT, iters) for t in tasks)
    )
    plots: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for task, latest in zip(tasks, found, strict=True):
        for plot in latest:
            by_task = plots.setdefault(plot["metric"], {}).setdefault(plot["variant"], {})
            by_iter = by_task.setdefault(task, {})
            entry = by_iter.setdefault(str(plot.get("iter", 0)), {"name": names[task], "plots": []})
            entry["plots"].append(plot)
    return {"plots": plots, "returned": len(plots), "total": len(plots), "scroll_id": None}


async def get_vector_metrics_and_variants(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    return {"metrics": await events.variants(svc.store, (call.who.company, task), VECTOR)}


async def vector_metrics_iter_histogram(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    metric, variant = fields.req_string(d, "metric"), fields.req_string(d, "variant")
    where = (call.who.company, task)
    vectors, iterations = await events.vectors(svc.store, where, metric, variant)
    return {"metric": metric, "variant": variant, "vectors": vectors, "iterations": iterations}


async def get_task_single_value_metrics(call: Call, svc: Services) -> dict[str, Any]:
    tasks = fields.strings(call.data, "tasks", required=True) or ()
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    company = call.who.company
    values = [await scalars.single_values(svc.store, (company, t)) for t in tasks]
    return {"tasks": [{"task": t, "values": v} for t, v in zip(tasks, values, strict=True)]}


ENDPOINTS = [
    Endpoint("events.get_task_plots", get_task_plots),
    Endpoint("events.get_multi_task_plots", get_multi_task_plots),
    Endpoint("events.get_vector_metrics_and_variants", get_vector_metrics_and_variants),
    Endpoint("events.vector_metrics_iter_histogram", vector_metrics_iter_histogram),
    Endpoint("events.get_task_single_value_metrics", get_task_single_value_metrics),
]
