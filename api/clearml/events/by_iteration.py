"""events.debug_images and events.plots: a page of iterations per task, scrolled by the
iterations already returned (kept in the scroll id, so any API instance serves the next page)."""

from __future__ import annotations

import asyncio
from typing import Any

from api import fields
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.telemetry.metrics import IMAGE, PLOT
from projections.events import iterations
from projections.events import read as events
from projections.events.documents import decode_scroll, encode_scroll

DEFAULT_ITERS = 1
Bounds = dict[str, iterations.Bounds]  # task -> (lowest, highest) iteration returned


def wanted(data: dict[str, Any]) -> dict[str, iterations.Wanted]:
    """task -> metric -> variants from [{task, metric?, variants?}]; an entry without a
    metric asks for every metric of its task."""
    entries = data.get("metrics")
    if not isinstance(entries, list) or not entries:
        raise errors.MissingRequiredFields(fields="metrics")
    out: dict[str, iterations.Wanted] = {}
    whole: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("task"), str):
            raise errors.ValidationError("field 'metrics' must be a list of {task, metric}")
        task, metric = entry["task"], entry.get("metric")
        out.setdefault(task, {})
        if metric is None:
            whole.add(task)
        else:
            out[task][metric] = _listed(entry.get("variants"))
    return {t: ({} if t in whole else m) for t, m in out.items()}


def _listed(variants: Any) -> list[str] | None:
    """ClearML takes a lone string for a list."""
    return [variants] if isinstance(variants, str) else (variants or None)


def read_bounds(scroll_id: str | None) -> Bounds:
    if not scroll_id:
        return {}
    state = decode_scroll(scroll_id)
    found = state.get("b") if state else None
    if not isinstance(found, dict) or not all(_bounds(v) for v in found.values()):
        raise errors.InvalidScrollId(scroll_id=scroll_id)
    return {t: (v[0], v[1]) for t, v in found.items()}


def _bounds(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)


async def _task_events(
    call: Call, svc: Services, kind: str, task: str, metrics: iterations.Wanted
) -> list[dict[str, Any]]:
    """One task's events of `kind` as the request wants them (images: current ones only)."""
    company = call.who.company
    await known_task(svc, company, task, model_events(call.data))
    found = iterations.chosen(await events.located(svc.store, (company, task), kind), metrics)
    return iterations.current_images(found) if kind == IMAGE else found


async def by_iteration(call: Call, svc: Services, kind: str) -> dict[str, Any]:
    d = call.data
    tasks = wanted(d)
    iters = max(fields.integer(d, "iters", DEFAULT_ITERS) or DEFAULT_ITERS, 1)
    earlier = fields.boolean(d, "navigate_earlier", default=True)
    bounds = {} if fields.boolean(d, "refresh") else read_bounds(fields.string(d, "scroll_id"))
    found = await asyncio.gather(*(_task_events(call, svc, kind, t, m) for t, m in tasks.items()))
    metrics, after = [], dict(bounds)
    for task, task_events in zip(tasks, found, strict=True):
        page, now = iterations.page(task_events, iters, earlier, bounds.get(task))
        metrics.append({"task": task, "iterations": page})
        if now is not None:
            after[task] = now
    scroll = encode_scroll({"b": {t: list(b) for t, b in after.items()}})
    return {"metrics": metrics, "scroll_id": scroll}


async def debug_images(call: Call, svc: Services) -> dict[str, Any]:
    """The 2.7+ form ({metrics: [{task, metric, variants}]}); the older {task} form reads
    the latest iterations of every image series."""
    if "task" in call.data and "metrics" not in call.data:
        return await _legacy_debug_images(call, svc)
    return await by_iteration(call, svc, IMAGE)


async def _legacy_debug_images(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    iters = fields.integer(d, "iters", DEFAULT_ITERS) or DEFAULT_ITERS
    await known_task(svc, call.who.company, task, model_events(d))
    images = await events.latest(svc.store, (call.who.company, task), IMAGE, iters)
    return {"task": task, "images": images, "returned": len(images), "total": len(images)}


async def plots(call: Call, svc: Services) -> dict[str, Any]:
    return await by_iteration(call, svc, PLOT)


ENDPOINTS = [
    Endpoint("events.debug_images", debug_images),
    Endpoint("events.plots", plots),
]
