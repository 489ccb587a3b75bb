"""Scalar read queries and response shapes (pure): series rows, raw points, ClearML docs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from projections.scalars.blocks import LevelBlock, RawBlock

SERIES = "SELECT metric, variant, stats FROM scalar_series WHERE company = ? AND task = ?"
LEVEL_BLOCKS = (
    "SELECT data FROM scalar_blocks WHERE company = ? AND task = ? AND metric = ? "
    "AND variant = ? AND level = ?"
)
RAW_FROM = (
    "SELECT block, data FROM scalar_blocks WHERE company = ? AND task = ? AND metric = ? "
    "AND variant = ? AND level = 0 AND block >= ?"
)
RAW_ONE = (
    "SELECT data FROM scalar_blocks WHERE company = ? AND task = ? AND metric = ? "
    "AND variant = ? AND level = 0 AND block = ?"
)
RAW_LAST = (
    "SELECT data FROM scalar_blocks WHERE company = ? AND task = ? AND metric = ? "
    "AND variant = ? AND level = 0 ORDER BY metric DESC, variant DESC, level DESC, block DESC "
    "LIMIT ?"
)


class Series:
    """One row of scalar_series with its whole-series summary decoded."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.metric: str = row["metric"]
        self.variant: str = row["variant"]
        stats = LevelBlock.decode(row["stats"]).buckets[0] if row.get("stats") else None
        self.count = stats[1] if stats else 0
        self.first_iter = stats[7] if stats else 0
        self.last_iter = stats[9] if stats else 0
        self.last_value = stats[10] if stats else None
        self.stats = stats


def wanted(rows: Iterable[dict[str, Any]], metrics: list[dict[str, Any]] | None) -> list[Series]:
    """Series rows kept by ClearML's metrics filter [{metric, variants?}] (None keeps all)."""
    if not metrics:
        return [Series(r) for r in rows]
    chosen: dict[str, set[str] | None] = {}
    for entry in metrics:
        variants = entry.get("variants")
        chosen[entry.get("metric", "")] = set(variants) if variants else None
    keep = []
    for row in rows:
        variants = chosen.get(row["metric"], set())
        if variants is None or row["variant"] in variants:
            keep.append(Series(row))
    return keep


def points(blocks: Iterable[bytes], start: int = -(2**63)) -> Iterator[tuple[int, float, int]]:
    """(iteration, value, timestamp) of raw blocks in order, from iteration `start` on."""
    for data in blocks:
        raw = RawBlock.decode(data)
        for i, v, t in zip(raw.iters, raw.values, raw.stamps, strict=True):
            if i >= start:
                yield i, v, t


def scalar_doc(
    task: str, metric: str, variant: str, point: tuple[int, float, int]
) -> dict[str, Any]:
    iteration, value, stamp = point
    return {
        "type": "training_stats_scalar",
        "task": task,
        "iter": iteration,
        "metric": metric,
        "variant": variant,
        "value": None if value != value else value,  # noqa: PLR0124 - NaN is JSON null
        "timestamp": stamp,
    }
