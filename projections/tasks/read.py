"""Reading tasks by id: rows, items and telemetry assembled into ClearML documents for the
requested API version, and the few plain facts other services ask of a task.

This is the one place that reads a task by company and id (SELECT_TASKS).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from projections.projects import read as projects
from projections.query_port import Query, Row
from projections.tasks import documents, telemetry, versions

SELECT_TASKS = "SELECT * FROM tasks WHERE company = ? AND id IN ?"
SELECT_ITEMS = (
    "SELECT task, kind, section, name, value FROM task_items WHERE company = ? AND task IN ?"
)
CHUNK = 100  # ids per IN list


async def _chunked(store: Query, cql: str, company: str, ids: Sequence[str]) -> list[Row]:
    (rows,) = await _read_at_once(store, company, ids, [cql])
    return rows


async def _read_at_once(
    store: Query, company: str, ids: Sequence[str], cqls: Sequence[str]
) -> list[list[Row]]:
    """Each statement's rows for every chunk of `ids`: all statements and chunks run at once."""
    plans = [
        [(cql, [company, list(ids[at : at + CHUNK])]) for at in range(0, len(ids), CHUNK)]
        for cql in cqls
    ]
    answers = iter(await store.execute_many([step for plan in plans for step in plan]))
    return [[row for _ in plan for row in next(answers)] for plan in plans]


async def _rows_by_id(store: Query, company: str, ids: Sequence[str]) -> dict[str, Row]:
    return {row["id"]: row for row in await _chunked(store, SELECT_TASKS, company, ids)}


async def by_ids(
    store: Query, company: str, ids: Sequence[str], fields: list[str] | None, version: str
) -> list[dict[str, Any]]:
    """Documents of the existing tasks among `ids`, in their order; `fields` (only_fields plus
    sort keys) decides whether items and telemetry are read at all (None: everything)."""
    return [doc for _row, doc in await loaded(store, company, ids, fields, version)]


async def loaded(
    store: Query, company: str, ids: Sequence[str], fields: list[str] | None, version: str
) -> list[tuple[Row, dict[str, Any]]]:
    """(row, document) of the existing tasks among `ids`, in their order."""
    with_items, with_telemetry = versions.needs_items(fields), versions.needs_telemetry(fields)
    cqls = [SELECT_TASKS, SELECT_ITEMS, telemetry.SELECT_FOR_TASKS]
    wanted = [True, with_items, with_telemetry]
    answers = iter(
        await _read_at_once(
            store, company, ids, [c for c, w in zip(cqls, wanted, strict=True) if w]
        )
    )
    rows, item_rows, reported_rows = (next(answers) if w else [] for w in wanted)
    found = {row["id"]: row for row in rows}
    items: dict[str, list[Row]] = {}
    for item in item_rows:
        items.setdefault(item["task"], []).append(item)
    reported = {row["task"]: row for row in reported_rows}
    out = []
    for task_id in ids:
        if (row := found.get(task_id)) is not None:
            doc = documents.to_api(row, items.get(task_id, []) if with_items else None)
            if with_telemetry:
                doc = telemetry.merge_into(doc, reported.get(task_id))
            out.append((row, versions.conform(doc, version)))
    return out


async def names(store: Query, company: str, ids: Sequence[str]) -> dict[str, str]:
    """Task id -> name of the existing tasks among `ids` (an empty name left out)."""
    found = await _rows_by_id(store, company, ids)
    return {task_id: row["name"] for task_id, row in found.items() if row.get("name")}


async def statuses(store: Query, company: str, ids: Sequence[str]) -> dict[str, str]:
    """Task id -> status of the existing tasks among `ids`."""
    found = await _rows_by_id(store, company, ids)
    return {task_id: row["status"] for task_id, row in found.items()}


async def facts(store: Query, company: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Task id -> {name, started, last_iteration, project, project_name} of existing tasks, as
    workers.get_all shows a worker's current and next tasks."""
    wanted = sorted(ids)
    if not wanted:
        return {}
    found = await _rows_by_id(store, company, wanted)
    reported = await store.execute(telemetry.SELECT_FOR_TASKS, [company, wanted])
    iterations = {r["task"]: r.get("last_iteration") for r in reported}
    used = {row["project"] for row in found.values() if row["project"]}
    project_names = await projects.names_of(store, company, used)
    return {
        task: {
            "name": row["name"],
            "started": row["started"],
            "last_iteration": iterations.get(task),
            "project": row["project"],
            "project_name": project_names.get(row["project"]),
        }
        for task, row in found.items()
    }
