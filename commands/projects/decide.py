"""Projects: create (with any missing parents), update and delete, decided against the company's
project tree. Names are paths: "a/b" lives under "a", which is created when missing."""

from __future__ import annotations

from typing import Any

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.projects import evolve as fold
from commands.projects.messages import (
    CreateProject,
    DeleteProject,
    ProjectCreated,
    ProjectDeleted,
    ProjectNode,
    ProjectUpdated,
    UpdateProject,
)
from commands.queues import entries
from commands.state import CompanyState, Project
from commands.tasks.events import TaskKey

SEPARATOR = "/"
MAX_DEPTH = 10
MIN_NAME_LENGTH = 3
ARCHIVED = "archived"


# -- decide -----------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """Strip the parts of a path name and drop empty ones, as ClearML does."""
    parts = [part.strip() for part in name.split(SEPARATOR) if part]
    if not parts or not all(parts):
        raise errors.InvalidProjectName(name=name)
    if len(parts) > MAX_DEPTH:
        raise errors.ProjectPathExceedsMax(max_depth=MAX_DEPTH)
    return SEPARATOR.join(parts)


def create(state: CompanyState, cmd: CreateProject, ctx: Context) -> Decision:
    name = _checked_new_name(state, cmd.name)
    ancestors = missing_ancestors(state, name, ctx)
    node = place(state, ancestors, ctx.new_id(), name)
    event = ProjectCreated(
        node.id,
        node,
        ctx.now,
        ctx.user,
        cmd.description,
        cmd.tags,
        cmd.system_tags,
        cmd.default_output_destination,
        ancestors,
    )
    return Decision(event, {"id": node.id})


def _checked_new_name(state: CompanyState, raw: str) -> str:
    name = clean_name(raw)
    if len(name) < MIN_NAME_LENGTH:
        raise errors.ValidationError(f"name must be at least {MIN_NAME_LENGTH} characters")
    if name in state.project_names:
        raise errors.NotUnique("Project with the same name already exists", name=name)
    return name


def missing_ancestors(state: CompanyState, name: str, ctx: Context) -> tuple[ProjectNode, ...]:
    parts = name.split(SEPARATOR)[:-1]
    created: list[ProjectNode] = []
    for depth in range(1, len(parts) + 1):
        ancestor = SEPARATOR.join(parts[:depth])
        if ancestor not in state.project_names:
            created.append(place(state, tuple(created), ctx.new_id(), ancestor))
    return tuple(created)


def place(state: CompanyState, fresh: tuple[ProjectNode, ...], id_: str, name: str) -> ProjectNode:
    location = name.rpartition(SEPARATOR)[0]
    if not location:
        return ProjectNode(id_, name)
    known = {n.name: n for n in fresh}
    parent = known.get(location) or _as_node(state, state.project_names[location])
    return ProjectNode(id_, name, parent.id, (*parent.path, parent.id))


def _as_node(state: CompanyState, project_id: str) -> ProjectNode:
    project = state.projects[project_id]
    path: list[str] = []
    parent = project.parent
    while parent is not None:
        path.insert(0, parent)
        parent = state.projects[parent].parent
    return ProjectNode(project.id, project.name, project.parent, tuple(path))


def get(state: CompanyState, project_id: str) -> Project:
    project = state.projects.get(project_id)
    if project is None:
        raise errors.InvalidProjectId(id=project_id)
    return project


def descendants(state: CompanyState, project_id: str) -> list[Project]:
    """The project's sub-projects at every level."""
    prefix = state.projects[project_id].name + SEPARATOR
    return [p for p in state.projects.values() if p.name.startswith(prefix)]


def update(state: CompanyState, cmd: UpdateProject, ctx: Context) -> Decision:
    project = get(state, cmd.project)
    name: str | None = None
    renamed: tuple[ProjectNode, ...] = ()
    if cmd.name is not None and clean_name(cmd.name) != project.name:
        name = _checked_new_name(state, cmd.name)
        if name.rpartition(SEPARATOR)[0] != project.name.rpartition(SEPARATOR)[0]:
            raise errors.CannotUpdateProjectLocation(name=name)
        renamed = tuple(
            ProjectNode(child.id, name + child.name[len(project.name) :], child.parent)
            for child in descendants(state, project.id)
        )
    event = ProjectUpdated(
        project.id,
        ctx.now,
        name,
        cmd.description,
        cmd.tags,
        cmd.system_tags,
        cmd.default_output_destination,
        renamed,
    )
    return Decision(event, {"updated": 1, "fields": _changes(cmd, name)})


def _changes(cmd: UpdateProject, name: str | None) -> dict[str, Any]:
    values = {
        "name": name,
        "description": cmd.description,
        "tags": cmd.tags,
        "system_tags": cmd.system_tags,
        "default_output_destination": cmd.default_output_destination,
    }
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items() if v is not None}


def delete(state: CompanyState, cmd: DeleteProject, ctx: Context) -> Decision:
    project = get(state, cmd.project)
    ids = (project.id, *(p.id for p in descendants(state, project.id)))
    tasks = [t for t in state.tasks.values() if t.project in ids]
    live = [t for t in tasks if ARCHIVED not in t.system_tags]
    if live and not cmd.force:
        raise errors.ProjectHasTasks("use force=true", id=project.id)
    dequeued = (
        tuple(p for t in tasks for p in entries.placements(state, t.id))
        if cmd.delete_contents
        else ()
    )
    keys = tuple(TaskKey(t.id, t.created, t.last_update) for t in tasks)
    event = ProjectDeleted(project.id, ctx.now, ids, keys, cmd.delete_contents, dequeued)
    counts = {"disassociated_tasks": 0, "deleted_tasks": 0}
    counts["deleted_tasks" if cmd.delete_contents else "disassociated_tasks"] = len(tasks)
    return Decision(event, {"deleted": len(ids), "deleted_models": 0, **counts})


DECIDE: dict[type[Command], Decide] = {
    CreateProject: create,
    UpdateProject: update,
    DeleteProject: delete,
}
EVOLVE: dict[type[Event], Evolve] = {
    ProjectCreated: fold.created,
    ProjectUpdated: fold.updated,
    ProjectDeleted: fold.deleted,
}
