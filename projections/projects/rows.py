"""Projects read model: rows from project events (the decider writes them); reads are in
`projections.projects.read`."""

from __future__ import annotations

from typing import Any

from commands.projects.messages import (
    ProjectCreated,
    ProjectDeleted,
    ProjectMoved,
    ProjectNode,
    ProjectUpdated,
)
from projections.control_view import CompanyView
from projections.mutations import Delete, Mutation, Upsert
from projections.tasks import order
from projections.tasks.patch_rows import TASKS
from projections.tasks.queue_rows import gone, left_queues
from projections.tasks.rows import task_key

TABLE = "projects"
TABLES = (TABLE,)  # written by the decider only


def _node_row(company: str, node: ProjectNode, user: str, at: int) -> dict[str, Any]:
    return {
        "company": company,
        "id": node.id,
        "name": node.name,
        "basename": node.name.rsplit("/", 1)[-1],
        "parent": node.parent,
        "path": list(node.path),
        "user_id": user,
        "created": at,
        "last_update": at,
    }


def created(event: ProjectCreated, view: CompanyView) -> list[Mutation]:
    company, at = view.company, event.created
    rows: list[Mutation] = [
        Upsert(TABLE, {**_node_row(company, n, event.user, at), "description": ""})
        for n in event.ancestors
    ]
    values = {
        **_node_row(company, event.node, event.user, at),
        "description": event.description,
        "tags": list(event.tags),
        "system_tags": list(event.system_tags),
        "default_output_destination": event.default_output_destination,
    }
    parent = event.node.parent
    if parent and parent not in {n.id for n in event.ancestors}:
        rows.append(Upsert(TABLE, {"company": company, "id": parent, "last_update": at}))
    return [*rows, Upsert(TABLE, values)]


def updated(event: ProjectUpdated, view: CompanyView) -> list[Mutation]:
    values: dict[str, Any] = {"company": view.company, "id": event.project}
    values["last_update"] = event.at
    for name in ("description", "default_output_destination"):
        if (value := getattr(event, name)) is not None:
            values[name] = value
    for name in ("tags", "system_tags"):
        if (value := getattr(event, name)) is not None:
            values[name] = list(value)
    renames = [ProjectNode(event.project, event.name)] if event.name else []
    rows: list[Mutation] = [Upsert(TABLE, values)]
    for node in (*renames, *event.renamed):
        rename = {"name": node.name, "basename": node.name.rsplit("/", 1)[-1]}
        key = {"company": view.company, "id": node.id}
        rows.append(Upsert(TABLE, {**key, **rename, "last_update": event.at}))
    return rows


def moved(event: ProjectMoved, view: CompanyView) -> list[Mutation]:
    """The moved projects' new names and places; the parents they left and joined are touched,
    created parents come to be."""
    company, at = view.company, event.at
    rows: list[Mutation] = [
        Upsert(TABLE, {**_node_row(company, n, event.user, at), "description": ""})
        for n in event.ancestors
    ]
    for node in event.moved:
        place: dict[str, Any] = {"name": node.name, "basename": node.name.rsplit("/", 1)[-1]}
        place |= {"parent": node.parent, "path": list(node.path), "last_update": at}
        rows.append(Upsert(TABLE, {"company": company, "id": node.id, **place}))
    fresh = {n.id for n in event.ancestors}
    for parent in {event.old_parent, event.moved[0].parent} - {None} - fresh:
        rows.append(Upsert(TABLE, {"company": company, "id": parent, "last_update": at}))
    return rows


def deleted(event: ProjectDeleted, view: CompanyView) -> list[Mutation]:
    company = view.company
    rows: list[Mutation] = [Delete(TABLE, {"company": company, "id": p}) for p in event.projects]
    for key in event.tasks:
        if event.delete_contents:
            rows += gone(company, key.task, key.created, key.last_update)
        else:
            rows.append(Upsert(TASKS, {**task_key(company, key.task), "project": None}))
            rows += order.refresh(company, view.tasks[key.task])
    return rows + left_queues(view, event.dequeued)


ROWS: dict[type, Any] = {
    ProjectCreated: created,
    ProjectUpdated: updated,
    ProjectDeleted: deleted,
    ProjectMoved: moved,
}
