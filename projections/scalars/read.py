"""Reading scalar series: their CQL, one statement per function, answered as documents.

Each function reads one series or one task; callers that want several at once run them
concurrently. Paging goes series by series in (metric, variant) order and, within a series,
block by block from an iteration on, so no read holds more than one series' asked-for points.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

from projections.query_port import Query
from projections.scalars import downsample
from projections.scalars.blocks import SINGLE_VALUE_ITER, block_of
from projections.scalars.documents import Point, Series, points, scalar_doc, wanted

SERIES = "SELECT metric, variant, stats FROM scalar_series WHERE company = ? AND task = ?"
_BLOCKS = (
    "SELECT data FROM scalar_blocks WHERE company = ? AND task = ? AND metric = ? AND variant = ?"
)
LEVEL_BLOCKS = _BLOCKS + " AND level = ?"
RAW_FROM = _BLOCKS + " AND level = 0 AND block >= ?"
RAW_ONE = _BLOCKS + " AND level = 0 AND block = ?"
RAW_LAST = (
    _BLOCKS + " AND level = 0 ORDER BY metric DESC, variant DESC, level DESC, block DESC LIMIT ?"
)
LAST_VALUES = 100  # points behind last_100_value
Where = tuple[str, str]  # (company, task)


class Page(NamedTuple):
    """Scalar events of one page, the task's total, and where the next page starts."""

    events: list[dict[str, Any]]
    total: int
    position: int  # index of the series the next page starts in
    start: int | None  # its first iteration, None for the series' start


async def series(store: Query, where: Where, metrics: Any = None) -> list[Series]:
    """The task's series kept by ClearML's metrics filter [{metric, variants?}]."""
    return wanted(await store.execute(SERIES, list(where)), metrics)


async def metrics_and_variants(store: Query, where: Where) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in await store.execute(SERIES, list(where)):
        out.setdefault(row["metric"], {})[row["variant"]] = {"name": row["variant"]}
    return out


async def count(store: Query, where: Where) -> int:
    """Scalar points of the task, from the series summaries."""
    return sum(s.count for s in await series(store, where))


async def xy(store: Query, where: Where, s: Series, samples: int, key: str) -> downsample.XY:
    """One series downsampled to at most `samples` points, from the coarsest level that fits."""
    plan = downsample.plan(s.count, s.first_iter, s.last_iter, samples)
    params = [*where, s.metric, s.variant, plan.level]
    blocks = [r["data"] for r in await store.execute(LEVEL_BLOCKS, params)]
    if plan.level == 0:
        return downsample.from_raw(blocks, plan.interval, key)
    return downsample.from_level(blocks, plan.interval, plan.level, key)


async def last_points(store: Query, where: Where, s: Series) -> list[Point]:
    """The last LAST_VALUES raw points of a series, reading blocks from the end."""
    limit = 1
    while True:
        rows = await store.execute(RAW_LAST, [*where, s.metric, s.variant, limit])
        found = list(points(r["data"] for r in reversed(rows)))
        if len(found) >= LAST_VALUES or len(rows) < limit:
            return found[-LAST_VALUES:]
        limit *= 4


async def single_values(store: Query, where: Where) -> list[dict[str, Any]]:
    """Values reported with report_single_value, series by series."""
    values = []
    for s in await series(store, where):
        params = [*where, s.metric, s.variant, block_of(0, SINGLE_VALUE_ITER)]
        blocks = [r["data"] for r in await store.execute(RAW_ONE, params)]
        for i, v, t in points(blocks, SINGLE_VALUE_ITER):
            if i == SINGLE_VALUE_ITER:
                values.append(
                    {"metric": s.metric, "variant": s.variant, "value": v, "timestamp": t}
                )
    return values


async def page(
    store: Query,
    where: Where,
    metric: str | None,
    size: int,
    at: tuple[int, int | None],
    *,
    variants: Collection[str] = (),
) -> Page:
    """Up to `size` scalar events from `at`: the index of a series (in (metric, variant) order
    of those of `metric` and, if given, `variants`; all without) and an iteration in it (None
    for its start)."""
    position, start = at
    chosen = sorted(
        (
            s
            for s in await series(store, where)
            if metric in (None, s.metric) and (not variants or s.variant in variants)
        ),
        key=lambda s: (s.metric, s.variant),
    )
    events: list[dict[str, Any]] = []
    while position < len(chosen) and len(events) < size:
        s = chosen[position]
        first = -(2**63) if start is None else start
        params = [*where, s.metric, s.variant, block_of(0, first)]
        blocks = [r["data"] for r in await store.execute(RAW_FROM, params)]
        for point in points(blocks, first):
            if len(events) == size:
                start = point[0]
                break
            events.append(scalar_doc(where[1], s.metric, s.variant, point))
        else:
            position, start = position + 1, None
    return Page(events, sum(s.count for s in chosen), position, start)
