"""Task read model, written by the decider: rows for task creation, edits, status changes and
liveness. Every function gets the event and the control view (projections/control_view.py)
right after the event was folded into it."""

from __future__ import annotations

from typing import Any

from commands.tasks import events as e
from commands.tasks import status as s
from commands.tasks.patch import Patch
from projections.control_view import CompanyView, TaskLine
from projections.mutations import Mutation, Upsert
from projections.tasks import order
from projections.tasks.patch_rows import TASKS, patch_rows


def task_key(company: str, task_id: str) -> dict[str, str]:
    return {"company": company, "id": task_id}


def created(event: e.TaskCreated, view: CompanyView) -> list[Mutation]:
    task = view.tasks[event.task]
    row = {
        **task_key(view.company, task.id),
        "name": event.name,
        "type": event.type,
        "status": s.CREATED,
        "user_id": event.user,
        "created": event.created,
        "last_update": event.created,
        "last_change": event.created,
        "last_changed_by": event.user,
        "project": event.project,
        "parent": event.parent,
        "comment": event.comment,
        "tags": list(event.tags),
        "system_tags": list(event.system_tags),
    }
    patch = patch_rows(view.company, task.id, Patch.from_json(event.document))
    return [Upsert(TASKS, row), *patch, *order.refresh(view.company, task)]


def edited(event: e.TaskEdited, view: CompanyView) -> list[Mutation]:
    task = view.tasks[event.task]
    times: dict[str, Any] = {"last_change": event.at, "last_changed_by": event.user}
    if event.touched:
        times["last_update"] = event.at
    rows: list[Mutation] = [Upsert(TASKS, {**task_key(view.company, task.id), **times})]
    rows += patch_rows(view.company, task.id, Patch.from_json(event.patch))
    changed = event.project is not None
    if event.touched:
        return rows + order.moved(view.company, task, with_created=changed)
    return rows + (order.refresh(view.company, task) if changed else [])


def status_rows(event: e.StatusChanged, view: CompanyView, **columns: Any) -> list[Mutation]:
    """The status fields every status change writes, plus `columns`."""
    task = view.tasks[event.task]
    values = {
        **task_key(view.company, task.id),
        "status": event.status,
        "status_reason": event.reason,
        "status_message": event.message,
        "status_changed": event.at,
        "last_update": event.at,
        "last_change": event.at,
        "last_changed_by": event.user,
        **columns,
    }
    return [Upsert(TASKS, values), *order.moved(view.company, task)]


def restored_rows(view: CompanyView, task: TaskLine, reason: str, at: int) -> list[Mutation]:
    """A task returned to its status before enqueueing (its queue was cleared or deleted)."""
    values = {
        **task_key(view.company, task.id),
        "status": task.status,
        "status_reason": reason,
        "status_message": "",
        "status_changed": at,
        "last_update": at,
        "last_change": at,
        "enqueue_status": None,
        "queue": None,
    }
    return [Upsert(TASKS, values), *order.moved(view.company, task)]


def started(event: e.TaskStarted, view: CompanyView) -> list[Mutation]:
    if event.started is None:
        return status_rows(event, view)
    return status_rows(event, view, started=event.started, completed=None, active_duration=None)


def finished(event: e.TaskStopped | e.TaskFailed, view: CompanyView) -> list[Mutation]:
    return status_rows(event, view, completed=event.completed)


def completed(event: e.TaskCompleted, view: CompanyView) -> list[Mutation]:
    return status_rows(event, view, completed=event.completed, published=event.published)


def published(event: e.TaskPublished, view: CompanyView) -> list[Mutation]:
    return status_rows(event, view, published=event.published)


def closed(event: e.TaskClosed, view: CompanyView) -> list[Mutation]:
    return status_rows(event, view)


def _alive(view: CompanyView, task: TaskLine, at: int, **columns: Any) -> list[Mutation]:
    """last_update moved without a status change (ping, worker report)."""
    values = {"last_update": at, "last_change": at, **columns}
    if task.status == s.IN_PROGRESS and task.started is not None:
        values["active_duration"] = max(0, (at - task.started) // 1000)
    row = Upsert(TASKS, {**task_key(view.company, task.id), **values})
    return [row, *order.moved(view.company, task, with_created=False)]


def pinged(event: e.TaskPinged, view: CompanyView) -> list[Mutation]:
    return _alive(view, view.tasks[event.task], event.at)


def worker_reported(event: e.TaskWorkerReported, view: CompanyView) -> list[Mutation]:
    task = view.tasks[event.task]
    return _alive(view, task, event.at, last_worker=event.worker, last_worker_report=event.at)


def non_responsive(event: e.NonResponsiveTasksStopped, view: CompanyView) -> list[Mutation]:
    rows: list[Mutation] = []
    for task_id in event.tasks:
        values = {
            **task_key(view.company, task_id),
            "status": s.STOPPED,
            "status_reason": event.reason,
            "status_message": event.reason,
            "status_changed": event.at,
            "last_update": event.at,
            "last_change": event.at,
        }
        rows += [Upsert(TASKS, values), *order.moved(view.company, view.tasks[task_id])]
    return rows
