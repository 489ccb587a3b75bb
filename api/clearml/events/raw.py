"""events.scalar_metrics_iter_raw: one metric's raw scalar points, variant by variant,
as {variant: {y: values, <key>: iterations or timestamps}}, scrolled in batches."""

from __future__ import annotations

from typing import Any

from api import fields
from api import scroll as scrolls
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.events.documents import encode_scroll
from projections.scalars import read

DEFAULT_BATCH = 10_000
MAX_BATCH = 200_000  # ClearML's max_raw_scalars_size
KEYS = ("iter", "timestamp")


def _metric(data: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    wanted = data.get("metric")
    if not isinstance(wanted, dict) or not isinstance(wanted.get("metric"), str):
        raise errors.MissingRequiredFields(fields="metric")
    variants = wanted.get("variants") or []
    variants = [variants] if isinstance(variants, str) else variants
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise errors.ValidationError("field 'metric.variants' must be a list of strings")
    return wanted["metric"], tuple(variants)


def _options(data: dict[str, Any]) -> tuple[int, str]:
    size = fields.integer(data, "batch_size", DEFAULT_BATCH)
    if size is not None and size < 0:
        raise errors.ValidationError("batch_size should be non negative number")
    key = fields.string(data, "key") or "iter"
    if key not in KEYS:
        raise errors.ValidationError(f"field 'key' must be one of {', '.join(KEYS)}")
    return min(size or DEFAULT_BATCH, MAX_BATCH), key


def _by_variant(points: list[dict[str, Any]], key: str) -> dict[str, dict[str, list[Any]]]:
    out: dict[str, dict[str, list[Any]]] = {}
    for point in points:
        series = out.setdefault(point["variant"], {"y": [], key: []})
        series["y"].append(point["value"])
        series[key].append(point[key])
    return out


async def scalar_metrics_iter_raw(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    metric, variants = _metric(d)
    size, key = _options(d)
    await known_task(svc, call.who.company, task, model_events(d))
    scroll = scrolls.read(fields.string(d, "scroll_id"))
    at = (int(scroll.get("s", 0)), scroll.get("i"))
    where = (call.who.company, task)
    page = await read.page(svc.store, where, metric, size, at, variants=variants)
    total = page.total if fields.boolean(d, "count_total") else None
    return {
        "variants": _by_variant(page.events, key),
        "returned": len(page.events),
        "total": total,
        "scroll_id": encode_scroll({"s": page.position, "i": page.start}),
    }


ENDPOINTS = [Endpoint("events.scalar_metrics_iter_raw", scalar_metrics_iter_raw)]
