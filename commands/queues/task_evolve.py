"""Folding queue-task events into the company state (entries and the tasks they change)."""

from __future__ import annotations

from dataclasses import replace

from commands.queues import entries as queue_entries
from commands.queues import task_messages as m
from commands.queues.entries import Placed
from commands.state import CompanyState, Entry, touched
from commands.tasks import status as s


def added(state: CompanyState, event: m.QueueTaskAdded) -> CompanyState:
    entry = Entry(event.rank, event.task, event.added)
    queue_entries.add(state, event.queue, entry)
    if event.execution_queue and event.task in state.tasks:
        state.tasks[event.task] = replace(state.tasks[event.task], queue=event.queue)
    return state


def popped(state: CompanyState, event: m.QueueTaskPopped) -> CompanyState:
    queue_entries.remove(state, [Placed(event.queue, event.task, event.rank)])
    if event.requeued:
        state.tasks[event.task] = replace(state.tasks[event.task], status=s.QUEUED)
    return state


def removed(state: CompanyState, event: m.QueueTaskRemoved) -> CompanyState:
    queue_entries.remove(state, [Placed(event.queue, event.task, r) for r in event.ranks])
    if event.status is not None:
        _restore(state, event.task, event.status, event.at)
    return state


def _restore(state: CompanyState, task_id: str, status: str, at: int) -> None:
    state.tasks[task_id] = touched(
        state.tasks[task_id], at, status=status, enqueue_status=None, queue=None
    )


def restored_status(state: CompanyState, task_id: str) -> str:
    return state.tasks[task_id].enqueue_status or s.CREATED


def moved(state: CompanyState, event: m.QueueTaskMoved) -> CompanyState:
    queue = state.queues[event.queue]
    if event.renumbered:
        entries = {e.task: e for e in queue.entries}
        order = [replace(entries[p.task], rank=p.rank) for p in event.renumbered]
    else:
        order = [e if e.task != event.task else replace(e, rank=event.rank) for e in queue.entries]
    entries_by_rank = tuple(sorted(order, key=lambda e: e.rank))
    state.queues[queue.id] = replace(queue, entries=entries_by_rank)
    return state


def cleared(state: CompanyState, event: m.QueueCleared) -> CompanyState:
    for task_id in event.reset:
        _restore(state, task_id, restored_status(state, task_id), event.at)
    queue = state.queues[event.queue]
    state.queues[queue.id] = replace(queue, entries=())
    return state


def metadata_changed(state: CompanyState, event: m.QueueMetadataChanged) -> CompanyState:
    return state  # decisions never depend on metadata
