"""Task events: one per decided task command. Status changes share StatusChanged's fields
(status, reason, message, when, by whom); times are epoch milliseconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Event
from commands.queues.entries import Placed


@dataclass(frozen=True)
class TaskKey:
    """A task with the times that key its listing rows (what a deletion must remove)."""

    task: str
    created: int
    last_update: int


class TaskEvent(Event):
    AGGREGATE: ClassVar[str] = "task"
    task: str

    def aggregate_id(self) -> str:
        return self.task


@dataclass(frozen=True)
class TaskCreated(TaskEvent):
    """A task came to be (created or cloned), status created; `document` is its JSON documents."""

    task: str
    name: str
    type: str
    user: str
    created: int
    project: str | None = None
    parent: str | None = None
    comment: str | None = None
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    document: str = "{}"


@dataclass(frozen=True)
class TaskEdited(TaskEvent):
    """Fields or documents of a task changed as `patch` says; typed fields repeat the changes
    decisions depend on (project "" means none)."""

    task: str
    action: str
    at: int
    user: str
    patch: str = "{}"
    touched: bool = True
    project: str | None = None
    system_tags: tuple[str, ...] | None = None


@dataclass(frozen=True)
class StatusChanged(TaskEvent):
    task: str
    status: str
    reason: str
    message: str
    at: int
    user: str


@dataclass(frozen=True)
class TaskStarted(StatusChanged):
    """The task runs; `started` is set when it had none."""

    started: int | None = None


@dataclass(frozen=True)
class TaskStopped(StatusChanged):
    """The task stopped (tasks.stopped)."""

    completed: int = 0


@dataclass(frozen=True)
class TaskFailed(StatusChanged):
    """The task failed."""

    completed: int = 0


@dataclass(frozen=True)
class TaskCompleted(StatusChanged):
    """The task completed; published too when `published` is set (status is then published)."""

    completed: int = 0
    published: int | None = None


@dataclass(frozen=True)
class TaskClosed(StatusChanged):
    """The task was closed."""


@dataclass(frozen=True)
class TaskPublished(StatusChanged):
    """The task was published; `model` is the output model published with it."""

    published: int = 0
    model: str | None = None

    def affected(self) -> tuple[tuple[str, str], ...]:
        own = ((self.AGGREGATE, self.task),)
        return (*own, ("model", self.model)) if self.model else own


@dataclass(frozen=True)
class TaskStopRequested(StatusChanged):
    """tasks.stop: stopped at once (leaving its queue), or status kept with message stopping."""

    dequeued: tuple[Placed, ...] = ()


@dataclass(frozen=True)
class TaskEnqueued(StatusChanged):
    """The task waits in `queue` at `rank`; it left `dequeued`. `queue_name` is set when the
    queue was created by this enqueue."""

    queue: str = ""
    rank: int = 0
    enqueue_status: str | None = None
    system_tags: tuple[str, ...] = ()
    dequeued: tuple[Placed, ...] = ()
    execution_queue: bool = True
    queue_name: str | None = None


@dataclass(frozen=True)
class TaskDequeued(StatusChanged):
    """The task left `dequeued`; its status changed only when `changed`."""

    dequeued: tuple[Placed, ...] = ()
    changed: bool = True


@dataclass(frozen=True)
class TaskReset(StatusChanged):
    """The task is created again: out of every queue, its outputs and telemetry cleared."""

    dequeued: tuple[Placed, ...] = ()
    clear_all: bool = False
    deleted_models: tuple[str, ...] = ()  # draft output models deleted by the reset
    updated_models: tuple[str, ...] = ()  # output models kept, no longer linked to the task

    def affected(self) -> tuple[tuple[str, str], ...]:
        models = (*self.deleted_models, *self.updated_models)
        return ((self.AGGREGATE, self.task), *(("model", m) for m in models))


@dataclass(frozen=True)
class TaskDeleted(TaskEvent):
    """The task is gone, with its queue entries and telemetry."""

    task: str
    at: int
    user: str
    dequeued: tuple[Placed, ...] = ()
    created: int = 0
    last_update: int = 0
    deleted_models: tuple[str, ...] = ()  # draft output models deleted with the task
    updated_models: tuple[str, ...] = ()  # output models kept, their task now __DELETED__<id>
    children: tuple[str, ...] = ()  # tasks whose parent it was: now __DELETED__<id>

    def affected(self) -> tuple[tuple[str, str], ...]:
        models = (*self.deleted_models, *self.updated_models)
        tasks = ((self.AGGREGATE, t) for t in (self.task, *self.children))
        return (*tasks, *(("model", m) for m in models))


@dataclass(frozen=True)
class TaskPinged(TaskEvent):
    """The task is alive (tasks.ping)."""

    task: str
    at: int


@dataclass(frozen=True)
class TaskWorkerReported(TaskEvent):
    """A worker reported that it runs the task."""

    task: str
    worker: str
    at: int


@dataclass(frozen=True)
class NonResponsiveTasksStopped(Event):
    """The watchdog stopped running tasks that sent nothing for too long."""

    AGGREGATE: ClassVar[str] = "company"
    tasks: tuple[str, ...]
    at: int
    reason: str

    def aggregate_id(self) -> str:
        return "watchdog"
