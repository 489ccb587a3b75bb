"""Queue events folded into the control-plane view (projections/control_view.py): queue rows,
their entries, and the tasks a queue's clearing or deletion returns to their prior status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from commands.queues import task_messages as m
from commands.queues.entries import Placed
from commands.queues.lifecycle import DEFAULT_TAG, QueueCreated, QueueDeleted, QueueUpdated
from commands.state import Entry
from commands.tasks import status as s
from commands.tenancy.companies import DEFAULT_QUEUE, CompanyCreated
from projections.control_view import CompanyView, QueueLine, touched


def add(view: CompanyView, queue_id: str, entry: Entry, at: int) -> None:
    queue = view.queues[queue_id]
    view.queues[queue_id] = replace(queue, entries=(*queue.entries, entry), last_update=at)


def remove(view: CompanyView, placed: Iterable[Placed], at: int) -> None:
    """Drop the given entries (those of a queue that no longer exists are ignored)."""
    by_queue: dict[str, set[int]] = {}
    for p in placed:
        by_queue.setdefault(p.queue, set()).add(p.rank)
    for queue_id, ranks in by_queue.items():
        if (queue := view.queues.get(queue_id)) is not None:
            kept = tuple(e for e in queue.entries if e.rank not in ranks)
            view.queues[queue_id] = replace(queue, entries=kept, last_update=at)


def restore(view: CompanyView, task_id: str, at: int, status: str | None = None) -> None:
    """The task back in the status it had before it was enqueued, and out of its queue."""
    task = view.tasks[task_id]
    status = status or task.enqueue_status or s.CREATED
    view.tasks[task_id] = touched(task, at, status=status, enqueue_status=None)


def queue_created_by(view: CompanyView, queue: str, name: str, at: int, *tags: str) -> None:
    """A queue another aggregate's event created (a company's default, an enqueue's target)."""
    view.queues[queue] = QueueLine(queue, name, at, at, system_tags=tags)


def company_created(view: CompanyView, event: CompanyCreated) -> None:
    if event.default_queue is not None:
        queue_created_by(view, event.default_queue, DEFAULT_QUEUE, event.created, DEFAULT_TAG)


def created(view: CompanyView, event: QueueCreated) -> None:
    view.queues[event.queue] = QueueLine(
        event.queue,
        event.name,
        event.created,
        event.created,
        event.tags,
        event.system_tags,
        event.display_name,
    )


def updated(view: CompanyView, event: QueueUpdated) -> None:
    names = ("name", "tags", "system_tags", "display_name")
    changes = {name: value for name in names if (value := getattr(event, name)) is not None}
    view.queues[event.queue] = replace(view.queues[event.queue], last_update=event.at, **changes)


def deleted(view: CompanyView, event: QueueDeleted) -> None:
    del view.queues[event.queue]
    for task_id in event.reset:
        restore(view, task_id, event.at)


def task_added(view: CompanyView, event: m.QueueTaskAdded) -> None:
    add(view, event.queue, Entry(event.rank, event.task, event.added), event.added)


def task_popped(view: CompanyView, event: m.QueueTaskPopped) -> None:
    remove(view, [Placed(event.queue, event.task, event.rank)], event.at)
    if event.requeued:
        view.tasks[event.task] = replace(view.tasks[event.task], status=s.QUEUED)


def task_removed(view: CompanyView, event: m.QueueTaskRemoved) -> None:
    remove(view, [Placed(event.queue, event.task, rank) for rank in event.ranks], event.at)
    if event.status is not None:
        restore(view, event.task, event.at, event.status)


def task_moved(view: CompanyView, event: m.QueueTaskMoved) -> None:
    queue = view.queues[event.queue]
    if event.renumbered:
        by_task = {e.task: e for e in queue.entries}
        order = [replace(by_task[p.task], rank=p.rank) for p in event.renumbered]
    else:
        order = [e if e.task != event.task else replace(e, rank=event.rank) for e in queue.entries]
    entries = tuple(sorted(order, key=lambda e: e.rank))
    view.queues[queue.id] = replace(queue, entries=entries, last_update=event.at)


def cleared(view: CompanyView, event: m.QueueCleared) -> None:
    for task_id in event.reset:
        restore(view, task_id, event.at)
    view.queues[event.queue] = replace(view.queues[event.queue], entries=(), last_update=event.at)


def metadata_changed(view: CompanyView, event: m.QueueMetadataChanged) -> None:
    view.queues[event.queue] = replace(view.queues[event.queue], last_update=event.at)


FOLD: dict[type, Any] = {
    CompanyCreated: company_created,
    QueueCreated: created,
    QueueUpdated: updated,
    QueueDeleted: deleted,
    m.QueueTaskAdded: task_added,
    m.QueueTaskPopped: task_popped,
    m.QueueTaskRemoved: task_removed,
    m.QueueTaskMoved: task_moved,
    m.QueueCleared: cleared,
    m.QueueMetadataChanged: metadata_changed,
}
