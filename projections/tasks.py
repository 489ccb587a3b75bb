"""The task and queue-task rows table: event type -> rows(event, state after)."""

from __future__ import annotations

from typing import Any

from commands import queue_task_messages as m
from commands import task_events as e
from commands.queues import QueueDeleted
from projections import queue_task_rows as queue_rows
from projections import task_order, task_patch_rows
from projections import task_queue_rows as queueing
from projections import task_rows as rows

TABLES = (task_patch_rows.TASKS, task_patch_rows.ITEMS, task_order.TABLE)  # the decider's

ROWS: dict[type, Any] = {
    e.TaskCreated: rows.created,
    e.TaskEdited: rows.edited,
    e.TaskStarted: rows.started,
    e.TaskStopped: rows.finished,
    e.TaskFailed: rows.finished,
    e.TaskCompleted: rows.completed,
    e.TaskClosed: rows.closed,
    e.TaskPublished: rows.published,
    e.TaskPinged: rows.pinged,
    e.TaskWorkerReported: rows.worker_reported,
    e.NonResponsiveTasksStopped: rows.non_responsive,
    e.TaskStopRequested: queueing.stop_requested,
    e.TaskEnqueued: queueing.enqueued,
    e.TaskDequeued: queueing.dequeued,
    e.TaskReset: queueing.reset,
    e.TaskDeleted: queueing.deleted,
    m.QueueTaskAdded: queue_rows.added,
    m.QueueTaskPopped: queue_rows.popped,
    m.QueueTaskRemoved: queue_rows.removed,
    m.QueueTaskMoved: queue_rows.moved,
    m.QueueCleared: queue_rows.cleared,
    m.QueueMetadataChanged: queue_rows.metadata_changed,
    QueueDeleted: queue_rows.queue_deleted,  # replaces the queues-only rows: it resets tasks
}
