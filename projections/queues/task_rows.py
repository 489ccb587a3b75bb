"""Rows of queue operations on tasks (add, pop, remove, move, clear, metadata) and of queue
deletion, which returns its tasks to their prior status."""

from __future__ import annotations

from commands.queues import task_messages as m
from commands.queues.lifecycle import QueueDeleted
from commands.state import Entry
from projections.control_view import CompanyView
from projections.mutations import Delete, MapPut, Mutation, Upsert
from projections.queues import rows as queues
from projections.tasks import order
from projections.tasks.patch_rows import TASKS
from projections.tasks.queue_rows import touched_queues
from projections.tasks.rows import restored_rows, task_key


def added(event: m.QueueTaskAdded, view: CompanyView) -> list[Mutation]:
    entry = Entry(event.rank, event.task, event.added)
    rows: list[Mutation] = [queues.entry_row(view.company, event.queue, entry)]
    if event.execution_queue:
        rows.append(Upsert(TASKS, {**task_key(view.company, event.task), "queue": event.queue}))
    return rows + touched_queues(view, [event.queue])


def popped(event: m.QueueTaskPopped, view: CompanyView) -> list[Mutation]:
    rows: list[Mutation] = [queues.entry_gone(view.company, event.queue, event.rank)]
    rows += touched_queues(view, [event.queue])
    if event.requeued:
        task = view.tasks[event.task]
        rows.append(Upsert(TASKS, {**task_key(view.company, task.id), "status": task.status}))
        rows += order.refresh(view.company, task)
    return rows


def removed(event: m.QueueTaskRemoved, view: CompanyView) -> list[Mutation]:
    rows: list[Mutation] = [
        queues.entry_gone(view.company, event.queue, rank) for rank in event.ranks
    ]
    rows += touched_queues(view, [event.queue])
    if event.status is not None:
        reason = f"Task was removed from the queue {event.queue}"
        rows += restored_rows(view, view.tasks[event.task], reason, event.at)
    return rows


def moved(event: m.QueueTaskMoved, view: CompanyView) -> list[Mutation]:
    queue = view.queues[event.queue]
    company = view.company
    if event.renumbered:
        partition = {"company": company, "queue": queue.id}
        rows: list[Mutation] = [Delete(queues.ENTRIES, partition, before=True)]
        rows += [queues.entry_row(company, queue.id, entry) for entry in queue.entries]
    else:
        entry = next(e for e in queue.entries if e.task == event.task)
        rows = [queues.entry_gone(company, queue.id, event.old_rank)]
        rows.append(queues.entry_row(company, queue.id, entry))
    return rows + touched_queues(view, [queue.id])


def cleared(event: m.QueueCleared, view: CompanyView) -> list[Mutation]:
    rows: list[Mutation] = [Delete(queues.ENTRIES, {"company": view.company, "queue": event.queue})]
    rows += touched_queues(view, [event.queue])
    reason = f"QueueLine {event.queue} was cleared"
    for task_id in event.reset:
        rows += restored_rows(view, view.tasks[task_id], reason, event.at)
    return rows


def metadata_changed(event: m.QueueMetadataChanged, view: CompanyView) -> list[Mutation]:
    key = {"company": view.company, "id": event.queue}
    if event.replace:
        rows: list[Mutation] = [Upsert(queues.QUEUES, {**key, "metadata": event.put or None})]
    else:
        rows = [MapPut(queues.QUEUES, key, "metadata", event.put, frozenset(event.removed))]
    return rows + touched_queues(view, [event.queue])


def queue_deleted(event: QueueDeleted, view: CompanyView) -> list[Mutation]:
    rows = queues.deleted(event, view)
    reason = f"QueueLine {event.queue} was deleted"
    for task_id in event.reset:
        rows += restored_rows(view, view.tasks[task_id], reason, event.at)
    return rows
