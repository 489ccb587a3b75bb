"""Plots, debug images, vectors and single values: the last iterations per metric/variant."""

from __future__ import annotations

import asyncio
from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml.events.scalars import task_names
from api.clearml.events.task_gate import known_task, model_events
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.telemetry.metrics import IMAGE, PLOT, VECTOR
from projections.events import queries as eq
from projections.scalars import queries as sq
from projections.scalars.blocks import SINGLE_VALUE_ITER, block_of

LAST_PAGE = "last-page"  # debug_images: the scroll id after the one page it answers


async def _rows(svc: Services, company: str, task: str, kind: str) -> list[dict[str, Any]]:
    return await svc.store.execute(eq.EVENTS_OF_TYPE, [company, task, kind])


async def get_task_plots(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    iters = fields.integer(d, "iters", 1) or 1
    plots = eq.last_iterations(await _rows(svc, call.who.company, task, PLOT), iters)
    if metrics := d.get("metrics"):
        keep = {(m.get("metric"), v) for m in metrics for v in m.get("variants") or [None]}
        plots = [p for p in plots if {(p["metric"], p["variant"]), (p["metric"], None)} & keep]
    return {"plots": plots, "returned": len(plots), "total": len(plots), "scroll_id": None}


async def get_multi_task_plots(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    tasks = fields.strings(d, "tasks", required=True) or ()
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    iters = fields.integer(d, "iters", 1) or 1
    company = call.who.company
    names = await task_names(svc, company, list(tasks))
    rows = await asyncio.gather(*(_rows(svc, company, t, PLOT) for t in tasks))
    plots: dict[str, dict[str, dict[str, Any]]] = {}
    for task, task_rows in zip(tasks, rows, strict=True):
        for plot in eq.last_iterations(task_rows, iters):
            by_task = plots.setdefault(plot["metric"], {}).setdefault(plot["variant"], {})
            entry = by_task.setdefault(task, {"name": names[task], "plots": []})
            entry["plots"].append(plot)
    return {"plots": plots, "returned": len(plots), "total": len(plots), "scroll_id": None}


async def debug_images(call: Call, svc: Services) -> dict[str, Any]:
    """The 2.14+ form ({metrics: [{task, metric}]}) and the older one ({task})."""
    d = call.data
    iters = fields.integer(d, "iters", 1) or 1
    company = call.who.company
    if "task" in d:
        task = fields.req_string(d, "task")
        await known_task(svc, call.who.company, task, model_events(call.data))
        images = eq.last_iterations(await _rows(svc, company, task, IMAGE), iters)
        return {"task": task, "images": images, "returned": len(images), "total": len(images)}
    wanted = d.get("metrics") or []
    if not isinstance(wanted, list) or not all(isinstance(m, dict) and "task" in m for m in wanted):
        raise errors.ValidationError("field 'metrics' must be a list of {task, metric}")
    if fields.string(d, "scroll_id") == LAST_PAGE:  # one page holds every iteration asked for
        empty = [{"task": m["task"], "metric": m.get("metric"), "iterations": []} for m in wanted]
        return {"metrics": empty, "scroll_id": LAST_PAGE}
    results = await asyncio.gather(*(_rows(svc, company, m["task"], IMAGE) for m in wanted))
    out = []
    for entry, rows in zip(wanted, results, strict=True):
        metric = entry.get("metric")
        events = eq.last_iterations((r for r in rows if metric in (None, r["metric"])), iters)
        by_iter: dict[int, list[dict[str, Any]]] = {}
        for event in events:
            by_iter.setdefault(event.get("iter") or 0, []).append(event)
        iterations = [{"iter": i, "events": by_iter[i]} for i in sorted(by_iter, reverse=True)]
        out.append({"task": entry["task"], "metric": metric, "iterations": iterations})
    return {"metrics": out, "scroll_id": LAST_PAGE}  # the SDK pages until one comes back empty


async def get_vector_metrics_and_variants(call: Call, svc: Services) -> dict[str, Any]:
    task = fields.req_string(call.data, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    metrics: dict[str, list[str]] = {}
    for row in await _rows(svc, call.who.company, task, VECTOR):
        variants = metrics.setdefault(row["metric"], [])
        if row["variant"] not in variants:
            variants.append(row["variant"])
    return {"metrics": metrics}


async def vector_metrics_iter_histogram(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    metric, variant = fields.req_string(d, "metric"), fields.req_string(d, "variant")
    rows = await svc.store.execute(eq.EVENTS_OF_METRIC, [call.who.company, task, VECTOR, metric])
    chosen = sorted((r for r in rows if r["variant"] == variant), key=lambda r: r["iter"])
    vectors = [eq.doc(r).get("value", []) for r in chosen]
    iterations = [r["iter"] for r in chosen]
    return {"metric": metric, "variant": variant, "vectors": vectors, "iterations": iterations}


async def get_task_single_value_metrics(call: Call, svc: Services) -> dict[str, Any]:
    tasks = fields.strings(call.data, "tasks", required=True) or ()
    bounds.capped(tasks, "tasks", bounds.MAX_TASKS_PER_READ)
    company = call.who.company
    out = []
    for task in tasks:
        values = []
        for s in sq.wanted(await svc.store.execute(sq.SERIES, [company, task]), None):
            params = [company, task, s.metric, s.variant, block_of(0, SINGLE_VALUE_ITER)]
            blocks = [r["data"] for r in await svc.store.execute(sq.RAW_ONE, params)]
            for i, v, t in sq.points(blocks, SINGLE_VALUE_ITER):
                if i == SINGLE_VALUE_ITER:
                    doc = {"metric": s.metric, "variant": s.variant, "value": v, "timestamp": t}
                    values.append(doc)
        out.append({"task": task, "values": values})
    return {"tasks": out}


ENDPOINTS = [
    Endpoint("events.get_task_plots", get_task_plots),
    Endpoint("events.get_multi_task_plots", get_multi_task_plots),
    Endpoint("events.debug_images", debug_images),
    Endpoint("events.get_vector_metrics_and_variants", get_vector_metrics_and_variants),
    Endpoint("events.vector_metrics_iter_histogram", vector_metrics_iter_histogram),
    Endpoint("events.get_task_single_value_metrics", get_task_single_value_metrics),
]
