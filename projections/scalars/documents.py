"""Scalar series rows and raw points decoded, and the ClearML documents made of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from projections.scalars.blocks import LevelBlock, RawBlock
from projections.scalars.downsample import XY

Point = tuple[int, float, int]  # (iteration, value, timestamp)


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


def points(blocks: Iterable[bytes], start: int = -(2**63)) -> Iterator[Point]:
    """(iteration, value, timestamp) of raw blocks in order, from iteration `start` on."""
    for data in blocks:
        raw = RawBlock.decode(data)
        for i, v, t in zip(raw.iters, raw.values, raw.stamps, strict=True):
            if i >= start:
                yield i, v, t


def scalar_doc(task: str, metric: str, variant: str, point: Point) -> dict[str, Any]:
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


def plots(series: Iterable[Series], answers: Iterable[XY]) -> dict[str, dict[str, Any]]:
    """metric -> variant -> {name, x, y}: one task's answer to scalar_metrics_iter_histogram."""
    out: dict[str, dict[str, Any]] = {}
    for s, (xs, ys) in zip(series, answers, strict=True):
        out.setdefault(s.metric, {})[s.variant] = {"name": s.variant, "x": xs, "y": ys}
    return out


def latest(series: Iterable[Series], lasts: Iterable[list[Point]]) -> dict[str, Any]:
    """events.get_task_latest_scalar_values from each series' last points."""
    metrics: dict[str, list[dict[str, Any]]] = {}
    last_iter, last_timestamp = 0, 0
    for s, points in zip(series, lasts, strict=True):
        if not points:
            continue
        numbers = [v for _i, v, _t in points if v == v]  # noqa: PLR0124 - NaN left out
        last_iter = max(last_iter, points[-1][0])
        last_timestamp = max(last_timestamp, *(t for _i, _v, t in points))
        mean = sum(numbers) / len(numbers) if numbers else None
        variant = {"name": s.variant, "last_value": points[-1][1], "last_100_value": mean}
        metrics.setdefault(s.metric, []).append(variant)
    listed = [{"name": m, "variants": v} for m, v in sorted(metrics.items())]
    return {"metrics": listed, "last_iter": last_iter, "last_timestamp": last_timestamp}
