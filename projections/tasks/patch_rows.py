"""A task patch (commands/tasks/patch.py) as row mutations, none of which reads first: scalar
columns are upserted, merged documents are map entries, replaced documents whole maps, items
clustering rows (a cleared kind or section is a range delete just before the new rows)."""

from __future__ import annotations

from typing import Any

import orjson

from commands.tasks.patch import Patch
from projections.mutations import Delete, MapPut, Mutation, Upsert

TASKS = "tasks"
ITEMS = "task_items"

# request field -> tasks column, for scalar fields a patch may set
COLUMNS = {
    "name": "name",
    "type": "type",
    "comment": "comment",
    "parent": "parent",
    "project": "project",
    "tags": "tags",
    "system_tags": "system_tags",
    "status_message": "status_message",
    "status_reason": "status_reason",
}


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def patch_rows(company: str, task: str, patch: Patch) -> list[Mutation]:
    key = {"company": company, "id": task}
    rows: list[Mutation] = []
    scalars = {COLUMNS[k]: _scalar(k, v) for k, v in patch.set.items() if k in COLUMNS}
    if scalars:
        rows.append(Upsert(TASKS, {**key, **scalars}))
    for column, doc in patch.merge.items():
        entries = {name: dumps(value) for name, value in doc.items()}
        rows.append(MapPut(TASKS, key, column, entries))
    for column, whole in patch.replace.items():
        mapped = {name: dumps(value) for name, value in (whole or {}).items()}
        rows.append(Upsert(TASKS, {**key, column: mapped or None}))
    return rows + _item_rows(company, task, patch)


def _scalar(name: str, value: Any) -> Any:
    if name in ("tags", "system_tags"):
        return list(value or [])
    if name == "project":
        return value or None
    return value


def _item_rows(company: str, task: str, patch: Patch) -> list[Mutation]:
    base = {"company": company, "task": task}
    rows: list[Mutation] = []
    for kind, section in patch.clear:
        scope = {"kind": kind} if section is None else {"kind": kind, "section": section}
        rows.append(Delete(ITEMS, {**base, **scope}, before=True))
    for kind, section, name, value in patch.put:
        item = {**base, "kind": kind, "section": section, "name": name}
        rows.append(Upsert(ITEMS, {**item, "value": dumps(value)}))
    for kind, section, name in patch.drop:
        rows.append(Delete(ITEMS, {**base, "kind": kind, "section": section, "name": name}))
    return rows


def clear_items(company: str, task: str, kind: str, section: str | None = None) -> Delete:
    scope = {"kind": kind} if section is None else {"kind": kind, "section": section}
    return Delete(ITEMS, {"company": company, "task": task, **scope}, before=True)
