"""The task decider: command and event tables for tasks.* (documents, lifecycle, queueing)."""

from __future__ import annotations

from commands.base import Command, Decide, Event, Evolve
from commands.tasks import archive, documents, lifecycle, liveness, queueing
from commands.tasks import events as e
from commands.tasks import evolve as fold
from commands.tasks import messages as c

DECIDE: dict[type[Command], Decide] = {
    c.CreateTask: documents.create,
    c.EditTask: documents.edit,
    c.MarkStarted: lifecycle.started,
    c.MarkStopped: lifecycle.stopped,
    c.MarkFailed: lifecycle.failed,
    c.MarkCompleted: lifecycle.completed,
    c.CloseTask: lifecycle.close,
    c.PublishTask: lifecycle.publish,
    c.StopTask: lifecycle.stop,
    c.ResetTask: lifecycle.reset,
    c.DeleteTask: lifecycle.delete,
    c.PingTask: liveness.ping,
    c.ReportTaskWorker: liveness.report_worker,
    c.StopNonResponsiveTasks: liveness.stop_non_responsive,
    c.EnqueueTask: queueing.enqueue,
    c.DequeueTask: queueing.dequeue,
    c.ArchiveTask: archive.archive,
    c.UnarchiveTask: archive.unarchive,
}
EVOLVE: dict[type[Event], Evolve] = {
    e.TaskCreated: fold.created,
    e.TaskEdited: fold.edited,
    e.TaskStarted: fold.started,
    e.TaskStopped: fold.status_changed,
    e.TaskFailed: fold.status_changed,
    e.TaskCompleted: fold.status_changed,
    e.TaskClosed: fold.status_changed,
    e.TaskPublished: fold.published,
    e.TaskStopRequested: fold.stop_requested,
    e.TaskEnqueued: fold.enqueued,
    e.TaskDequeued: fold.dequeued,
    e.TaskReset: fold.reset,
    e.TaskDeleted: fold.deleted,
    e.TaskPinged: fold.pinged,
    e.TaskWorkerReported: fold.worker_reported,
    e.NonResponsiveTasksStopped: fold.non_responsive_stopped,
}
