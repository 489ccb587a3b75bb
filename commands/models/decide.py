"""Model decisions: each command checked against the company's models, tasks and projects."""

from __future__ import annotations

from typing import Any

import orjson

from commands import errors
from commands.base import Context, Decision
from commands.models import links
from commands.models import messages as m
from commands.models.links import DELETED_PREFIX
from commands.state import CompanyState, Model
from commands.tasks import status as s

MIN_NAME_LENGTH = 3
ARCHIVED = "archived"


def create(state: CompanyState, cmd: m.CreateModel, ctx: Context) -> Decision:
    check_name(cmd.name)
    check_refs(state, cmd.task, cmd.project)
    model_id = ctx.new_id()
    event = m.ModelCreated(
        model_id, ctx.now, ctx.user, cmd.name, cmd.uri, cmd.ready, cmd.public,
        cmd.task, cmd.project, cmd.system_tags, cmd.fields,
    )  # fmt: skip
    return Decision(event, {"id": model_id, "created": True})


def edit(state: CompanyState, cmd: m.EditModel, ctx: Context) -> Decision:
    get(state, cmd.model)
    changes = checked_changes(state, orjson.loads(cmd.changes))
    event = m.ModelEdited(cmd.model, ctx.now, ctx.user, cmd.action, orjson.dumps(changes).decode())
    return Decision(event, {"updated": 1, "fields": changes})


def checked_changes(state: CompanyState, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes to apply: a deleted task's placeholder is ignored, as ClearML does."""
    if str(changes.get("task") or "").startswith(DELETED_PREFIX):
        changes.pop("task")
    if "name" in changes:
        check_name(changes["name"])
    check_refs(state, changes.get("task"), changes.get("project"))
    return changes


def publish(state: CompanyState, cmd: m.PublishModel, ctx: Context) -> Decision:
    model = get(state, cmd.model)
    if model.ready:
        raise errors.ModelIsReady(id=model.id)
    return Decision(m.ModelPublished(model.id, ctx.now, ctx.user), {"updated": 1})


def archive(state: CompanyState, cmd: m.ArchiveModel, ctx: Context) -> Decision:
    model = get(state, cmd.model)
    tags = tuple(dict.fromkeys((*model.system_tags, ARCHIVED)))
    event = m.ModelArchived(model.id, ctx.now, ctx.user, tags)
    return Decision(event, {"archived": ARCHIVED not in model.system_tags})


def unarchive(state: CompanyState, cmd: m.UnarchiveModel, ctx: Context) -> Decision:
    model = get(state, cmd.model)
    tags = tuple(t for t in model.system_tags if t != ARCHIVED)
    event = m.ModelUnarchived(model.id, ctx.now, ctx.user, tags)
    return Decision(event, {"unarchived": ARCHIVED in model.system_tags})


def delete(state: CompanyState, cmd: m.DeleteModel, ctx: Context) -> Decision:
    model = get(state, cmd.model)
    using = links.users(state, model.id)
    if using and not cmd.force:
        raise errors.ModelInUse(model=model.id, tasks=using)
    task = state.tasks.get(model.task or "")
    if task is not None and task.status == s.PUBLISHED and not cmd.force:
        raise errors.ModelCreatingTaskExists(model=model.id, task=task.id)
    inputs = orjson.dumps(links.repointed(state, model.id)).decode() if using else "{}"
    event = m.ModelDeleted(model.id, ctx.now, ctx.user, model.uri, inputs)
    return Decision(event, {"deleted": True, "url": model.uri})


def change_metadata(state: CompanyState, cmd: m.ChangeModelMetadata, ctx: Context) -> Decision:
    model = get(state, cmd.model)
    event = m.ModelMetadataChanged(model.id, ctx.now, ctx.user, cmd.put, cmd.removed, cmd.replace)
    return Decision(event, {"updated": 1})


def get(state: CompanyState, model_id: str) -> Model:
    model = state.models.get(model_id)
    if model is None:
        raise errors.InvalidModelId(id=model_id)
    return model


def check_name(name: str) -> None:
    if len(name.strip()) < MIN_NAME_LENGTH:
        raise errors.DataValidationError(f"name must be at least {MIN_NAME_LENGTH} characters")


def check_refs(state: CompanyState, task: str | None, project: str | None) -> None:
    if task and task not in state.tasks:
        raise errors.InvalidTaskId(id=task)
    if project and project not in state.projects:
        raise errors.ValidationError("Invalid project ids", ids=[project])
