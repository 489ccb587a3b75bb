"""Rows of the events that change a task and queues together: enqueue, dequeue, stop, reset,
delete. Entries are keyed by rank, so leaving a queue is a single-row delete."""

from __future__ import annotations

from collections.abc import Iterable

from commands.models.cleanup import DELETED_PREFIX
from commands.queues.entries import Placed
from commands.state import Entry
from commands.tasks import events as e
from commands.tasks.patch import ARTIFACT, MODEL
from projections.control_view import CompanyView
from projections.mutations import Delete, MapPut, Mutation, Upsert
from projections.queues import rows as queues
from projections.tasks import order
from projections.tasks.patch_rows import ITEMS, TASKS, clear_items
from projections.tasks.rows import status_rows, task_key

OUTPUT_RESULTS = frozenset({"result", "error"})  # what a reset unsets in the output document


def left_queues(view: CompanyView, placed: Iterable[Placed]) -> list[Mutation]:
    """Entry rows gone, and the new last_update of each queue that still exists."""
    placed = list(placed)
    rows: list[Mutation] = [queues.entry_gone(view.company, p.queue, p.rank) for p in placed]
    return rows + touched_queues(view, {p.queue for p in placed})


def touched_queues(view: CompanyView, queue_ids: Iterable[str]) -> list[Mutation]:
    return [
        queues.queue_row(view.company, view.queues[q])
        for q in sorted(set(queue_ids))
        if q in view.queues
    ]


def stop_requested(event: e.TaskStopRequested, view: CompanyView) -> list[Mutation]:
    return status_rows(event, view) + left_queues(view, event.dequeued)


def enqueued(event: e.TaskEnqueued, view: CompanyView) -> list[Mutation]:
    columns: dict = {"enqueue_status": event.enqueue_status, "system_tags": list(event.system_tags)}
    if event.execution_queue:
        columns["queue"] = event.queue
    entry = Entry(event.rank, event.task, event.at)
    rows = status_rows(event, view, **columns) + left_queues(view, event.dequeued)
    rows.append(queues.entry_row(view.company, event.queue, entry))
    return rows + touched_queues(view, [event.queue])


def dequeued(event: e.TaskDequeued, view: CompanyView) -> list[Mutation]:
    rows = left_queues(view, event.dequeued)
    if event.changed:
        rows += status_rows(event, view, enqueue_status=None)
    return rows


def reset(event: e.TaskReset, view: CompanyView) -> list[Mutation]:
    columns = dict.fromkeys(
        (
            "enqueue_status",
            "queue",
            "last_worker",
            "last_worker_report",
            "started",
            "completed",
            "published",
            "active_duration",
            "runtime",
        )
    )
    if event.clear_all:
        columns.update(script=None, execution=None)
    rows = status_rows(event, view, **columns) + left_queues(view, event.dequeued)
    company, task = view.company, event.task
    rows.append(MapPut(TASKS, task_key(company, task), "output", {}, OUTPUT_RESULTS))
    rows.append(clear_items(company, task, MODEL, "output"))
    rows.append(clear_items(company, task, ARTIFACT, None if event.clear_all else "output"))
    return rows


def gone(company: str, task: str, created: int, last_update: int) -> list[Mutation]:
    """Every row of a deleted task (its telemetry is the telemetry projector's)."""
    return [
        Delete(TASKS, task_key(company, task)),
        Delete(ITEMS, {"company": company, "task": task}),
        *order.removed(company, task, created, last_update),
    ]


def deleted(event: e.TaskDeleted, view: CompanyView) -> list[Mutation]:
    rows = gone(view.company, event.task, event.created, event.last_update)
    orphaned = f"{DELETED_PREFIX}{event.task}"
    rows += [
        Upsert(TASKS, {**task_key(view.company, child), "parent": orphaned})
        for child in event.children
        if child in view.tasks
    ]
    return rows + left_queues(view, event.dequeued)
