"""Creating tasks and changing their fields and documents: validation against the company
state; the documents themselves pass through as JSON to the read model."""

from __future__ import annotations

from commands import errors
from commands.base import Context, Decision
from commands.projects.decide import get as get_project
from commands.state import CompanyState, Task
from commands.tasks import status as s
from commands.tasks.events import TaskCreated, TaskEdited
from commands.tasks.messages import CreateTask, EditTask

MIN_NAME_LENGTH = 3


def create(state: CompanyState, cmd: CreateTask, ctx: Context) -> Decision:
    name = _checked_name(cmd.name)
    _check_type(cmd.type)
    if cmd.project:
        get_project(state, cmd.project)
    if cmd.source is not None:
        s.get_task(state, cmd.source)
    elif cmd.parent:
        _check_parent(state, cmd.parent)
    task_id = ctx.new_id()
    event = TaskCreated(
        task_id,
        name,
        cmd.type,
        ctx.user,
        ctx.now,
        cmd.project or None,
        cmd.parent,
        cmd.comment,
        cmd.tags,
        cmd.system_tags,
        cmd.document,
    )
    return Decision(event, {"id": task_id})


def _checked_name(name: str) -> str:
    name = name.strip()
    if len(name) < MIN_NAME_LENGTH:
        raise errors.ValidationError(f"name must be at least {MIN_NAME_LENGTH} characters")
    return name


def _check_type(task_type: str) -> None:
    if task_type not in s.TASK_TYPES:
        raise errors.ValidationError(
            f"type must be one of {', '.join(s.TASK_TYPES)}", type=task_type
        )


def _check_parent(state: CompanyState, parent: str) -> None:
    if parent not in state.tasks and not parent.startswith("__DELETED__"):
        raise errors.InvalidTaskId("invalid parent", parent=parent)


def edit(state: CompanyState, cmd: EditTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    _check_rule(task, cmd.rule, cmd.force)
    if cmd.name is not None:
        _checked_name(cmd.name)
    if cmd.type is not None:
        _check_type(cmd.type)
    if cmd.project:
        get_project(state, cmd.project)
    if cmd.parent:
        _check_parent(state, cmd.parent)
    event = TaskEdited(
        task.id,
        cmd.action,
        ctx.now,
        ctx.user,
        cmd.patch,
        cmd.touched,
        cmd.project,
        cmd.system_tags,
    )
    reply = {"updated": 1, "last_change": ctx.now, "last_changed_by": ctx.user}
    if cmd.touched:
        reply["last_update"] = ctx.now
    return Decision(event, reply)


def _check_rule(task: Task, rule: str, force: bool) -> None:
    if rule == "edit" and not force and task.status != s.CREATED:
        raise errors.InvalidTaskStatus(expected=s.CREATED, status=task.status)
    if rule == "documents":
        s.check_updatable(task, force)
