"""Task events folded into the control-plane view (projections/control_view.py): the status,
project and times the listing rows carry, and the entries the task's queue moves change."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from commands.projects.messages import ProjectDeleted
from commands.state import Entry
from commands.tasks import events as e
from commands.tasks import status as s
from projections.control_view import CompanyView, TaskLine, touched
from projections.queues.fold import add, queue_created_by, remove


def created(view: CompanyView, event: e.TaskCreated) -> None:
    at = event.created
    view.tasks[event.task] = TaskLine(event.task, s.CREATED, at, at, project=event.project)


def edited(view: CompanyView, event: e.TaskEdited) -> None:
    task = view.tasks[event.task]
    if event.touched:
        task = touched(task, event.at)
    if event.project is not None:
        task = replace(task, project=event.project or None)
    view.tasks[event.task] = task


def status_changed(view: CompanyView, event: e.StatusChanged, **changes: Any) -> None:
    view.tasks[event.task] = touched(view.tasks[event.task], event.at, status=event.status)
    if changes:
        view.tasks[event.task] = replace(view.tasks[event.task], **changes)


def started(view: CompanyView, event: e.TaskStarted) -> None:
    changes = {} if event.started is None else {"started": event.started}
    status_changed(view, event, **changes)


def stop_requested(view: CompanyView, event: e.TaskStopRequested) -> None:
    remove(view, event.dequeued, event.at)
    status_changed(view, event)


def enqueued(view: CompanyView, event: e.TaskEnqueued) -> None:
    if event.queue_name is not None:
        queue_created_by(view, event.queue, event.queue_name, event.at)
    remove(view, event.dequeued, event.at)
    add(view, event.queue, Entry(event.rank, event.task, event.at), event.at)
    status_changed(view, event, enqueue_status=event.enqueue_status)


def dequeued(view: CompanyView, event: e.TaskDequeued) -> None:
    remove(view, event.dequeued, event.at)
    if event.changed:
        status_changed(view, event, enqueue_status=None)


def reset(view: CompanyView, event: e.TaskReset) -> None:
    remove(view, event.dequeued, event.at)
    status_changed(view, event, enqueue_status=None, started=None)


def deleted(view: CompanyView, event: e.TaskDeleted) -> None:
    remove(view, event.dequeued, event.at)
    del view.tasks[event.task]


def alive(view: CompanyView, event: e.TaskPinged | e.TaskWorkerReported) -> None:
    view.tasks[event.task] = touched(view.tasks[event.task], event.at)


def non_responsive(view: CompanyView, event: e.NonResponsiveTasksStopped) -> None:
    for task_id in event.tasks:
        view.tasks[task_id] = touched(view.tasks[task_id], event.at, status=s.STOPPED)


def project_deleted(view: CompanyView, event: ProjectDeleted) -> None:
    remove(view, event.dequeued, event.at)
    for key in event.tasks:
        if event.delete_contents:
            view.tasks.pop(key.task, None)
        elif key.task in view.tasks:
            view.tasks[key.task] = replace(view.tasks[key.task], project=None)


FOLD: dict[type, Any] = {
    e.TaskCreated: created,
    e.TaskEdited: edited,
    e.TaskStarted: started,
    e.TaskStopped: status_changed,
    e.TaskFailed: status_changed,
    e.TaskCompleted: status_changed,
    e.TaskClosed: status_changed,
    e.TaskPublished: status_changed,
    e.TaskPinged: alive,
    e.TaskWorkerReported: alive,
    e.NonResponsiveTasksStopped: non_responsive,
    e.TaskStopRequested: stop_requested,
    e.TaskEnqueued: enqueued,
    e.TaskDequeued: dequeued,
    e.TaskReset: reset,
    e.TaskDeleted: deleted,
    ProjectDeleted: project_deleted,
}
