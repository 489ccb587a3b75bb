"""The worker entries workers.get_stats answers with, from folded statistics (buckets.py).

Each metric lists the dates of the range and, per requested aggregation, its values; the
dates are given with each aggregation too, as newer ClearML servers put them there, and stay
on the metric for older clients. With split_by_variant a metric is listed per variant. With
split_by_resource a GPU metric reported for more than one device also carries, per
aggregation, a `resource_series` entry per device.
"""

from __future__ import annotations

from typing import Any

from projections.worker_stats.buckets import Agg, merge

Folded = dict[str, dict[str | None, dict[int, Agg]]]  # metric -> variant -> date -> aggregate


def worker_doc(
    worker: str,
    folded: Folded,
    items: list[tuple[str, str]],
    all_dates: list[int],
    by_resource: bool = False,
) -> dict[str, Any]:
    """ClearML's worker_stats entry: metrics (and variants) by sample count, then name."""
    aggs: dict[str, list[str]] = {}
    for key, aggregation in items:
        if aggregation not in aggs.setdefault(key, []):
            aggs[key].append(aggregation)
    metrics = []
    for metric in sorted(folded, key=lambda m: (-_count(folded[m]), m)):
        variants = folded[metric]
        if by_resource:
            metrics.append(_by_resource(metric, variants, aggs[metric], all_dates))
            continue
        for variant in sorted(variants, key=lambda v: (-_count({v: variants[v]}), v or "")):
            entry = _entry(metric, variants[variant], aggs[metric], all_dates)
            if variant is not None:
                entry["variant"] = variant
            metrics.append(entry)
    return {"worker": worker, "metrics": metrics}


def _entry(
    metric: str, by_date: dict[int, Agg], aggs: list[str], all_dates: list[int]
) -> dict[str, Any]:
    stats = [{"aggregation": a, "dates": all_dates, "values": _values(a, by_date, all_dates)}
             for a in aggs]  # fmt: skip
    return {"metric": metric, "dates": all_dates, "stats": stats}


def _by_resource(
    metric: str, variants: dict[str | None, dict[int, Agg]], aggs: list[str], all_dates: list[int]
) -> dict[str, Any]:
    """One entry over all devices; the per-device series only for GPUs, and only when there
    is more than one of them."""
    combined: dict[int, Agg] = {}
    for by_date in variants.values():
        for date, agg in by_date.items():
            combined[date] = merge(combined.get(date), agg)
    entry = _entry(metric, combined, aggs, all_dates)
    if metric.startswith("gpu_") and len(variants) > 1:
        names = sorted((v for v in variants if v is not None), key=_device_order)
        for stat in entry["stats"]:
            stat["resource_series"] = [
                {"name": name, "values": _values(stat["aggregation"], variants[name], all_dates)}
                for name in names
            ]
    return entry


def _device_order(name: str) -> tuple[int, str]:
    return (int(name), "") if name.isdigit() else (1 << 30, name)


def _values(aggregation: str, by_date: dict[int, Agg], all_dates: list[int]) -> list[float]:
    return [_value(aggregation, by_date.get(d)) for d in all_dates]


def _count(variants: dict[str | None, dict[int, Agg]]) -> float:
    return sum(agg[0] for by_date in variants.values() for agg in by_date.values())


def _value(aggregation: str, agg: Agg | None) -> float:
    if not agg or not agg[0]:
        return 0.0
    if aggregation == "avg":
        return agg[1] / agg[0]
    return agg[2] if aggregation == "min" else agg[3]


def total_count(folded: Folded) -> float:
    return sum(_count(variants) for variants in folded.values())
