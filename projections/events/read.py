"""Reading plots, debug images and vectors (table task_events): their CQL, answered as documents.

A partition holds one (company, task, type), clustered by (metric, variant, iter, id); paging
follows that key, so a page of a task's events holds no more than the page.
"""

from __future__ import annotations

from typing import Any

from commands.telemetry.metrics import VECTOR
from projections.events.documents import doc, last_iterations
from projections.query_port import Query

OF_TYPE = (
    "SELECT metric, variant, iter, timestamp, doc, plot_data FROM task_events "
    "WHERE company = ? AND task = ? AND type = ?"
)
OF_METRIC = OF_TYPE + " AND metric = ?"
_KEYED = (
    "SELECT metric, variant, iter, id, doc, plot_data FROM task_events "
    "WHERE company = ? AND task = ? AND type = ?"
)
FIRST = _KEYED + " LIMIT ?"
AFTER = _KEYED + " AND (metric, variant, iter, id) > (?, ?, ?, ?) LIMIT ?"
COUNT = "SELECT COUNT(*) AS n FROM task_events WHERE company = ? AND task = ? AND type = ?"
KEY = ("metric", "variant", "iter", "id")
Where = tuple[str, str]  # (company, task)


async def of_type(store: Query, where: Where, kind: str) -> list[dict[str, Any]]:
    """Every event of one type, in storage order."""
    return [doc(r) for r in await store.execute(OF_TYPE, [*where, kind])]


async def latest(
    store: Query, where: Where, kind: str, iters: int, metric: str | None = None
) -> list[dict[str, Any]]:
    """Per metric/variant (of `metric` only if given), the events of its last `iters` iterations."""
    rows = await store.execute(OF_TYPE, [*where, kind])
    return last_iterations((r for r in rows if metric in (None, r["metric"])), iters)


async def variants(store: Query, where: Where, kind: str) -> dict[str, list[str]]:
    """metric -> its variants, in storage order."""
    metrics: dict[str, list[str]] = {}
    for row in await store.execute(OF_TYPE, [*where, kind]):
        found = metrics.setdefault(row["metric"], [])
        if row["variant"] not in found:
            found.append(row["variant"])
    return metrics


async def vectors(
    store: Query, where: Where, metric: str, variant: str
) -> tuple[list[Any], list[int]]:
    """The values of one vector series and their iterations, in iteration order."""
    rows = await store.execute(OF_METRIC, [*where, VECTOR, metric])
    chosen = sorted((r for r in rows if r["variant"] == variant), key=lambda r: r["iter"])
    return [doc(r).get("value", []) for r in chosen], [r["iter"] for r in chosen]


async def page(
    store: Query, where: Where, kind: str, size: int, after: list[Any] | None
) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Up to `size` events of one type after key `after`; the key of the last (None if none)."""
    if after:
        rows = await store.execute(AFTER, [*where, kind, *after, size])
    else:
        rows = await store.execute(FIRST, [*where, kind, size])
    return [doc(r) for r in rows], [rows[-1][c] for c in KEY] if rows else None


async def count(store: Query, where: Where, kind: str) -> int:
    rows = await store.execute(COUNT, [*where, kind])
    return int(rows[0]["n"])


async def located(
    store: Query, where: Where, kind: str, metric: str | None = None
) -> list[dict[str, Any]]:
    """Every event of one type (of `metric` only, if given), each with its metric, variant
    and iteration as stored (the keys the iterators and sample viewers navigate by)."""
    if metric is None:
        rows = await store.execute(OF_TYPE, [*where, kind])
    else:
        rows = await store.execute(OF_METRIC, [*where, kind, metric])
    return [
        {**doc(r), "metric": r["metric"], "variant": r["variant"], "iter": r["iter"]} for r in rows
    ]
