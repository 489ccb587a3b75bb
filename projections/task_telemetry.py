"""The task fields telemetry maintains (last_iteration, last_update, last_metrics, metric_stats),
kept apart from the control-plane task rows so each row has exactly one writer stream.

Contract between the two sides: the telemetry projectors own table `task_telemetry`; the task
read path selects rows with SELECT_FOR_TASKS and folds each into the task document with
`merge_into`. Until a task has reported anything it has no row and the document is unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from projections.timefmt import iso, millis

TABLE = "task_telemetry"
SELECT_FOR_TASKS = "SELECT * FROM task_telemetry WHERE company = ? AND task IN ?"


def merge_into(doc: dict[str, Any], row: dict[str, Any] | None) -> dict[str, Any]:
    """The task document with the telemetry fields folded in (a new dict)."""
    if not row:
        return doc
    out = dict(doc)
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
