"""Folding task events into the company state (in place; records are replaced, never mutated)."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

from commands.models import cleanup, links
from commands.models.evolve import publish_with_task
from commands.queues import entries
from commands.state import CompanyState, Entry, Queue, Task, touched
from commands.tasks import events as e
from commands.tasks import status as s
from commands.tasks.patch import Patch


def _intern(value: str | None) -> str | None:
    """Project, user and queue ids repeat across thousands of tasks: share one string each."""
    return None if value is None else sys.intern(value)


def _update(state: CompanyState, task_id: str, **changes: Any) -> CompanyState:
    task = state.tasks[task_id]
    if "at" in changes:
        state.tasks[task_id] = touched(task, **changes)
    else:
        state.tasks[task_id] = replace(task, **changes)
    return state


def created(state: CompanyState, event: e.TaskCreated) -> CompanyState:
    state.tasks[event.task] = Task(
        id=event.task,
        status=s.CREATED,
        user=sys.intern(event.user),
        created=event.created,
        last_update=event.created,
        project=_intern(event.project),
        system_tags=event.system_tags,
        parent=event.parent or None,
    )
    links.fold_patch(state, event.task, event.document)
    return state


def edited(state: CompanyState, event: e.TaskEdited) -> CompanyState:
    changes: dict[str, Any] = {}
    if event.touched:
        changes["at"] = event.at
    if event.project is not None:
        changes["project"] = _intern(event.project) or None
    if event.system_tags is not None:
        changes["system_tags"] = event.system_tags
    if '"parent"' in event.patch:
        changes["parent"] = Patch.from_json(event.patch).set.get("parent") or None
    links.fold_patch(state, event.task, event.patch)
    return _update(state, event.task, **changes)


def status_changed(state: CompanyState, event: e.StatusChanged) -> CompanyState:
    return _update(state, event.task, status=sys.intern(event.status), at=event.at)


def published(state: CompanyState, event: e.TaskPublished) -> CompanyState:
    publish_with_task(state, event.model, event.at)
    return status_changed(state, event)


def started(state: CompanyState, event: e.TaskStarted) -> CompanyState:
    status_changed(state, event)
    if event.started is not None:
        _update(state, event.task, started=event.started)
    return state


def stop_requested(state: CompanyState, event: e.TaskStopRequested) -> CompanyState:
    entries.remove(state, event.dequeued)
    return status_changed(state, event)


def enqueued(state: CompanyState, event: e.TaskEnqueued) -> CompanyState:
    if event.queue_name is not None:
        state.queues[event.queue] = Queue(event.queue, event.queue_name)
        state.queue_names[event.queue_name] = event.queue
    entries.remove(state, event.dequeued)
    entries.add(state, event.queue, Entry(event.rank, event.task, event.at))
    status_changed(state, event)
    changes: dict[str, Any] = {"system_tags": event.system_tags}
    changes["enqueue_status"] = event.enqueue_status
    if event.execution_queue:
        changes["queue"] = sys.intern(event.queue)
    return _update(state, event.task, **changes)


def dequeued(state: CompanyState, event: e.TaskDequeued) -> CompanyState:
    entries.remove(state, event.dequeued)
    if event.changed:
        status_changed(state, event)
        _update(state, event.task, enqueue_status=None)
    return state


def reset(state: CompanyState, event: e.TaskReset) -> CompanyState:
    entries.remove(state, event.dequeued)
    status_changed(state, event)
    cleanup.task_reset(state, event.deleted_models, event.updated_models)
    return _update(
        state, event.task, enqueue_status=None, queue=None, last_worker=None, started=None
    )


def deleted(state: CompanyState, event: e.TaskDeleted) -> CompanyState:
    entries.remove(state, event.dequeued)
    del state.tasks[event.task]
    for child in event.children:
        if child in state.tasks:
            _update(state, child, parent=f"{cleanup.DELETED_PREFIX}{event.task}")
    links.forget_task(state, event.task)
    cleanup.task_deleted(state, event.task, event.deleted_models, event.updated_models)
    return state


def pinged(state: CompanyState, event: e.TaskPinged) -> CompanyState:
    return _update(state, event.task, at=event.at)


def worker_reported(state: CompanyState, event: e.TaskWorkerReported) -> CompanyState:
    return _update(state, event.task, last_worker=_intern(event.worker), at=event.at)


def non_responsive_stopped(state: CompanyState, event: e.NonResponsiveTasksStopped) -> CompanyState:
    for task_id in event.tasks:
        _update(state, task_id, status=s.STOPPED, at=event.at)
    return state
