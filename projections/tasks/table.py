"""The task and queue-task rows table: event type -> rows(event, control view after it)."""

from __future__ import annotations

from typing import Any

from commands.queues import task_messages as m
from commands.queues.lifecycle import QueueDeleted
from commands.tasks import events as e
from projections.queues import task_rows as queue_rows
from projections.tasks import order, patch_rows, rows
from projections.tasks import queue_rows as queueing

TABLES = (patch_rows.TASKS, patch_rows.ITEMS, order.TABLE)  # the decider's

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
