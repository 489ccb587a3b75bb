"""The task fields telemetry maintains (last_iteration, last_update, last_metrics, metric_stats),
kept apart from the control-plane task rows so each row has exactly one writer stream.

Contract between the two sides: the telemetry projectors own table `task_telemetry`; the task
read path selects rows with SELECT_FOR_TASKS and folds each into the task document with
`merge_into`. Until a task has reported anything it has no row and the maps stay empty.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from projections.mutations import Upsert
from projections.timefmt import iso, millis

TABLE = "task_telemetry"
SELECT_FOR_TASKS = "SELECT * FROM task_telemetry WHERE company = ? AND task IN ?"


def merge_into(doc: dict[str, Any], row: dict[str, Any] | None) -> dict[str, Any]:
    """The task document with the telemetry fields folded in (a new dict); last_metrics and
    metric_stats are empty maps until the task reports, as ClearML's task model defaults them."""
    out = {"last_metrics": {}, "metric_stats": {}, **doc}
    if not row:
        return out
    if row.get("last_iteration") is not None:
        out["last_iteration"] = max(row["last_iteration"], doc.get("last_iteration") or 0)
    reported = millis(row.get("last_update"))
    current = _epoch(doc.get("last_update"))
    if reported is not None and (current is None or reported > current):
        out["last_update"] = iso(reported)
    for field in ("last_metrics", "metric_stats"):
        if row.get(field):
            out[field] = json.loads(row[field])
    return out


def _epoch(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        from datetime import datetime

        return int(datetime.fromisoformat(value).timestamp() * 1000)
    return millis(value)


# -- writing (the metrics projection) -----------------------------------------------------------

MAX_METRICS = 2000  # metric/variant pairs kept in last_metrics per task, as ClearML


def row(company: str, task: str, state: Any) -> Upsert:
    """The task_telemetry row for a projector task state (projections/metrics/state.py)."""
    return Upsert(
        TABLE,
        {
            "company": company,
            "task": task,
            "last_iteration": state.last_iteration,
            "last_update": state.last_update,
            "last_metrics": json.dumps(last_metrics(state.stats)),
            "metric_stats": json.dumps(_stats_doc(state.metric_stats)),
        },
    )


def last_metrics(stats: dict[tuple[str, str], Any]) -> dict[str, dict[str, Any]]:
    """ClearML's last_metrics: md5(metric) -> md5(variant) -> the series summary.

    The cap keeps the MAX_METRICS smallest (metric, variant) pairs, so the document does not
    depend on the order in which series first appeared.
    """
    out: dict[str, dict[str, Any]] = {}
    for metric, variant in sorted(stats)[:MAX_METRICS]:
        agg = stats[(metric, variant)]
        _i, count, total, low, low_iter, high, high_iter, first_iter, first, _li, last, _t = agg
        out.setdefault(_md5(metric), {})[_md5(variant)] = {
            "metric": metric,
            "variant": variant,
            "value": last,
            "min_value": low,
            "min_value_iteration": low_iter,
            "max_value": high,
            "max_value_iteration": high_iter,
            "first_value": first,
            "first_value_iteration": first_iter,
            "count": count,
            "mean_value": round(total / count, 2) if count else None,
        }
    return out


def _stats_doc(metric_stats: dict[str, Any]) -> dict[str, Any]:
    """metric_stats with ISO times, as ClearML returns them."""
    return {
        key: {
            "metric": entry["metric"],
            "event_stats_by_type": {
                kind: {"event_type": kind, "last_update": iso(s["last_update"])}
                for kind, s in entry["event_stats_by_type"].items()
            },
        }
        for key, entry in metric_stats.items()
    }


def _md5(name: str) -> str:
    return hashlib.md5(name.encode()).hexdigest()
