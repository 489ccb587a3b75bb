"""Reading models: the CQL of the models table and rows turned into ClearML model documents.

Handlers pass the store (the query port); they never see CQL. Documents carry references
(task, project, parent, user, company) as id strings; api/clearml/joins.py joins them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from projections.query_port import Query
from projections.timefmt import iso

SELECT_ALL = "SELECT * FROM models WHERE company = ?"
SELECT_SOME = "SELECT * FROM models WHERE company = ? AND id IN ?"
SELECT_PATHS = "SELECT id, path FROM projects WHERE company = ?"
SELECT_PROJECT = "SELECT * FROM models WHERE company = ? AND project = ?"  # the SAI index


async def by_ids(store: Query, company: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The documents of the existing models among `ids`, in the order asked."""
    if not ids:
        return []
    rows = await store.execute(SELECT_SOME, [company, list(dict.fromkeys(ids))])
    found = {row["id"]: document(row) for row in rows}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


async def one(store: Query, company: str, model_id: str) -> dict[str, Any] | None:
    docs = await by_ids(store, company, [model_id])
    return docs[0] if docs else None


async def every(store: Query, company: str) -> list[dict[str, Any]]:
    return [document(row) for row in await store.execute(SELECT_ALL, [company])]


async def in_projects(store: Query, company: str, projects: Sequence[str]) -> list[dict[str, Any]]:
    """The models of these projects, one index lookup each (the UI and the SDK name one)."""
    return [
        document(row) for p in projects for row in await store.execute(SELECT_PROJECT, [company, p])
    ]


async def with_subprojects(store: Query, company: str, projects: Sequence[str]) -> list[str]:
    """The projects and every project below them (a project's `path` lists its ancestors)."""
    asked = set(projects)
    rows = await store.execute(SELECT_PATHS, [company])
    below = [r["id"] for r in rows if asked.intersection(r.get("path") or ())]
    return list(dict.fromkeys([*projects, *below]))


def plain_ids(values: Sequence[str] | None) -> list[str] | None:
    """Project ids a filter names without operators (-id, __$not, __$all...); None if any."""
    if not values or any(not v or v.startswith(("-", "__$")) for v in values):
        return None
    return list(dict.fromkeys(values))


def document(row: dict[str, Any]) -> dict[str, Any]:
    """A model as ClearML's models.get_by_id returns it."""
    doc = {
        "id": row["id"],
        "name": row.get("name"),
        "user": row.get("user_id"),
        "company": row["company"],
        "created": iso(row.get("created")),
        "last_update": iso(row.get("last_update")),
        "last_change": iso(row.get("last_change")),
        "task": row.get("task"),
        "project": row.get("project"),
        "parent": row.get("parent"),
        "comment": row.get("comment") or "",
        "tags": list(row.get("tags") or []),
        "system_tags": list(row.get("system_tags") or []),
        "framework": row.get("framework"),
        "design": _json(row.get("design"), {}),
        "labels": _json(row.get("labels"), {}),
        "uri": row.get("uri"),
        "ready": bool(row.get("ready")),
        "metadata": {k: orjson.loads(v) for k, v in (row.get("metadata") or {}).items()},
    }
    if row.get("last_iteration") is not None:
        doc["last_iteration"] = row["last_iteration"]
    return {k: v for k, v in doc.items() if v is not None}


def _json(text: str | None, empty: Any) -> Any:
    return orjson.loads(text) if text else empty
