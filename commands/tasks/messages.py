"""Task commands: what tasks.* endpoints (and the watchdog) ask the control plane to do.

Free-form documents travel as JSON text: `document` (a new task's script, execution, output,
container, runtime, hyperparams, configuration, models, artifacts) and `patch` (see
commands/tasks/patch.py), so the decider never holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Command


class TaskCommand(Command):
    AGGREGATE: ClassVar[str] = "task"


@dataclass(frozen=True)
class CreateTask(TaskCommand):
    """tasks.create, and tasks.clone once the API has resolved the clone's documents."""

    name: str
    type: str
    project: str | None = None
    parent: str | None = None
    comment: str | None = None
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    document: str = "{}"
    source: str | None = None  # the cloned task


@dataclass(frozen=True)
class EditTask(TaskCommand):
    """Any change to a task's fields or documents (tasks.edit, update, set_requirements,
    *_hyper_params, *_configuration, *_artifacts, add_or_update_model).

    `rule` names the status check: "edit" (created unless forced), "update" (any status),
    "documents" (created; queued or in_progress too when forced), "properties" (any status).
    Typed fields repeat what the patch sets and the decision must validate.
    """

    task: str
    action: str
    rule: str = "edit"
    force: bool = False
    patch: str = "{}"
    touched: bool = True  # moves last_update
    name: str | None = None
    type: str | None = None
    project: str | None = None  # "" clears it
    parent: str | None = None
    system_tags: tuple[str, ...] | None = None


@dataclass(frozen=True)
class StatusCommand(TaskCommand):
    task: str
    force: bool = False
    status_reason: str = ""
    status_message: str = ""


@dataclass(frozen=True)
class MarkStarted(StatusCommand):
    """tasks.started: the task runs."""


@dataclass(frozen=True)
class MarkStopped(StatusCommand):
    """tasks.stopped: the task stopped running."""


@dataclass(frozen=True)
class MarkFailed(StatusCommand):
    """tasks.failed."""


@dataclass(frozen=True)
class MarkCompleted(StatusCommand):
    """tasks.completed, publishing it too when asked."""

    publish: bool = False


@dataclass(frozen=True)
class CloseTask(StatusCommand):
    """tasks.close."""


@dataclass(frozen=True)
class PublishTask(StatusCommand):
    """tasks.publish: the task's latest output model is published with it unless told not."""

    publish_model: bool = True


@dataclass(frozen=True)
class StopTask(StatusCommand):
    """tasks.stop: stopped at once, or asked to stop when a live worker runs it."""

    user_name: str = ""


@dataclass(frozen=True)
class ResetTask(StatusCommand):
    """tasks.reset: back to created, out of every queue, outputs cleared (draft output
    models deleted unless told not to)."""

    clear_all: bool = False
    delete_output_models: bool = True


@dataclass(frozen=True)
class DeleteTask(StatusCommand):
    """tasks.delete: created (or archived) tasks, any task when forced. Its draft output
    models go with it unless told not to; the others are left pointing at the deleted task."""

    delete_output_models: bool = True
    return_file_urls: bool = False


@dataclass(frozen=True)
class EnqueueTask(StatusCommand):
    """tasks.enqueue: into `queue`, the queue named `queue_name` (created when missing) or the
    default queue."""

    queue: str | None = None
    queue_name: str | None = None
    update_execution_queue: bool = True


@dataclass(frozen=True)
class DequeueTask(StatusCommand):
    """tasks.dequeue: out of its queue, back to the status it had before enqueueing."""

    new_status: str | None = None
    remove_from_all_queues: bool = False


@dataclass(frozen=True)
class ArchiveTask(TaskCommand):
    """tasks.archive(_many): the archived system tag added (the API dequeues the task first,
    as ClearML does)."""

    task: str
    status_reason: str = ""
    status_message: str = ""


@dataclass(frozen=True)
class UnarchiveTask(TaskCommand):
    """tasks.unarchive_many: the archived system tag removed."""

    task: str
    status_reason: str = ""
    status_message: str = ""


@dataclass(frozen=True)
class PingTask(TaskCommand):
    """tasks.ping: the task is alive."""

    task: str


@dataclass(frozen=True)
class ReportTaskWorker(TaskCommand):
    """A worker reported that it runs the task (workers.status_report with a task)."""

    task: str
    worker: str


@dataclass(frozen=True)
class StopNonResponsiveTasks(TaskCommand):
    """The watchdog: stop running tasks that sent nothing for `timeout_s` seconds. `alive`
    names tasks whose telemetry (which the decider does not see) is more recent than that."""

    timeout_s: int
    alive: tuple[str, ...] = ()
