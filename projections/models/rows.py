"""Models read model: the row each model event writes (the decider applies them)."""

from __future__ import annotations

from typing import Any

import orjson

from commands.base import Event
from commands.models import messages as m
from commands.models.cleanup import DELETED_PREFIX
from commands.models.links import INPUT
from commands.tasks.events import TaskDeleted, TaskPublished, TaskReset
from commands.tasks.patch import MODEL
from projections.control_view import CompanyView
from projections.mutations import Delete, MapPut, Mutation, Upsert
from projections.tasks.patch_rows import ITEMS, dumps

TABLE = "models"
TABLES = (TABLE,)
JSON_COLUMNS = ("design", "labels")
PLAIN_COLUMNS = ("name", "uri", "comment", "tags", "system_tags", "framework", "ready")
REFERENCES = ("project", "parent", "task")


def _key(view: CompanyView, model: str) -> dict[str, Any]:
    return {"company": view.company, "id": model}


def _row(view: CompanyView, model: str, at: int, **values: Any) -> Upsert:
    stamp = {"last_change": at, "last_update": at}
    return Upsert(TABLE, {**_key(view, model), **stamp, **values})


def columns(changes: dict[str, Any]) -> dict[str, Any]:
    """Row columns for a dict of ClearML model fields (as models.create / edit take them)."""
    out = {k: changes[k] for k in PLAIN_COLUMNS if k in changes}
    out.update({k: changes[k] or None for k in REFERENCES if k in changes})
    out.update({k: orjson.dumps(changes[k]).decode() for k in JSON_COLUMNS if k in changes})
    for listed in ("tags", "system_tags"):
        if listed in out:
            out[listed] = list(out[listed] or [])
    if "metadata" in changes:
        out["metadata"] = metadata_cells(changes["metadata"] or {})
    if changes.get("iteration") is not None:
        out["last_iteration"] = changes["iteration"]
    if "created" in changes:
        out["created"] = changes["created"]
    return out


def metadata_cells(items: dict[str, Any]) -> dict[str, str]:
    return {key: orjson.dumps(item).decode() for key, item in items.items()}


def created(event: m.ModelCreated, view: CompanyView) -> list[Mutation]:
    fields = {**orjson.loads(event.fields), "name": event.name, "uri": event.uri}
    fields.update(ready=event.ready, task=event.task, project=event.project)
    fields["system_tags"] = event.system_tags
    values = {**columns(fields), "created": event.at, "user_id": event.user}
    return [_row(view, event.model, event.at, public=event.public, **values)]


def edited(event: m.ModelEdited, view: CompanyView) -> list[Mutation]:
    values = columns(orjson.loads(event.changes))
    return [_row(view, event.model, event.at, **values)]


def published(event: m.ModelPublished, view: CompanyView) -> list[Mutation]:
    return [_row(view, event.model, event.at, ready=True)]


def tags_changed(event: m.ModelArchived | m.ModelUnarchived, view: CompanyView) -> list[Mutation]:
    tags = list(event.system_tags)
    return [_row(view, event.model, event.at, system_tags=tags)]


def deleted(event: m.ModelDeleted, view: CompanyView) -> list[Mutation]:
    """The row goes; the input items of the tasks that used it name the deleted marker."""
    items: dict[str, dict[str, Any]] = orjson.loads(event.inputs)
    repointed = [
        Upsert(ITEMS, {**_item_key(view, task, name), "value": dumps(item)})
        for task, named in items.items()
        if task in view.tasks
        for name, item in named.items()
    ]
    return [Delete(TABLE, _key(view, event.model)), *repointed]


def _item_key(view: CompanyView, task: str, name: str) -> dict[str, Any]:
    return {"company": view.company, "task": task, "kind": MODEL, "section": INPUT, "name": name}


def metadata_changed(event: m.ModelMetadataChanged, view: CompanyView) -> list[Mutation]:
    cells = metadata_cells(orjson.loads(event.put))
    stamp = _row(view, event.model, event.at)
    if event.replace:
        return [Upsert(TABLE, {**stamp.values, "metadata": cells})]
    removed = frozenset(event.removed)
    return [stamp, MapPut(TABLE, _key(view, event.model), "metadata", cells, removed)]


def task_rows(event: Event, view: CompanyView) -> list[Mutation]:
    """Model rows a task event changes: the output model published with the task, the models
    deleted or re-pointed with it, or unlinked by a reset (see commands.tasks.lifecycle)."""
    if isinstance(event, TaskPublished) and event.model:
        return [_row(view, event.model, event.at, ready=True)]
    if isinstance(event, TaskDeleted | TaskReset):
        gone: list[Mutation] = [Delete(TABLE, _key(view, m)) for m in event.deleted_models]
        task = f"{DELETED_PREFIX}{event.task}" if isinstance(event, TaskDeleted) else None
        return gone + [Upsert(TABLE, {**_key(view, m), "task": task}) for m in event.updated_models]
    return []


ROWS: dict[type, Any] = {
    m.ModelCreated: created,
    m.ModelEdited: edited,
    m.ModelPublished: published,
    m.ModelArchived: tags_changed,
    m.ModelUnarchived: tags_changed,
    m.ModelDeleted: deleted,
    m.ModelMetadataChanged: metadata_changed,
}
