"""Commands and events of the queue operations on tasks (queues.add_task, get_next_task, ...)."""

from __future__ import annotations

from dataclasses import dataclass

from commands.queues.entries import Placed
from commands.queues.lifecycle import QueueCommand, QueueEvent

FIRST, LAST = "first", "last"


@dataclass(frozen=True)
class AddTaskToQueue(QueueCommand):
    """queues.add_task: push a task at the back, with no status change."""

    queue: str
    task: str
    update_execution_queue: bool = False


@dataclass(frozen=True)
class GetNextTask(QueueCommand):
    """queues.get_next_task: pop the first entry (only if it is `task`, when given)."""

    queue: str
    task: str | None = None
    get_task_info: bool = False


@dataclass(frozen=True)
class RemoveTaskFromQueue(QueueCommand):
    """queues.remove_task, optionally returning the task to its status before enqueueing."""

    queue: str
    task: str
    update_task_status: bool = False


@dataclass(frozen=True)
class MoveTaskInQueue(QueueCommand):
    """queues.move_task_*: `move` is a signed count of places, or "first" / "last"."""

    queue: str
    task: str
    move: str


@dataclass(frozen=True)
class ClearQueue(QueueCommand):
    """queues.clear_queue: drop every entry; tasks queued there return to their prior status."""

    queue: str


@dataclass(frozen=True)
class EditQueueMetadata(QueueCommand):
    """queues.add_or_update_metadata / delete_metadata: items are JSON {key, type, value}."""

    queue: str
    put: dict[str, str]
    removed: tuple[str, ...] = ()
    replace: bool = False


@dataclass(frozen=True)
class QueueTaskAdded(QueueEvent):
    """A task was pushed at the back of the queue."""

    task: str
    rank: int
    added: int
    execution_queue: bool = False


@dataclass(frozen=True)
class QueueTaskPopped(QueueEvent):
    """The first entry left the queue for a worker; a stopped task became queued again."""

    task: str
    rank: int
    at: int
    requeued: bool = False


@dataclass(frozen=True)
class QueueTaskRemoved(QueueEvent):
    """A task's entries left the queue; `status` is set when the task's status was restored."""

    task: str
    ranks: tuple[int, ...]
    at: int
    status: str | None = None


@dataclass(frozen=True)
class QueueTaskMoved(QueueEvent):
    """An entry moved to `rank`; `renumbered` (when the gap was too small) re-ranks them all."""

    task: str
    old_rank: int
    rank: int
    at: int
    renumbered: tuple[Placed, ...] = ()


@dataclass(frozen=True)
class QueueCleared(QueueEvent):
    """Every entry left the queue; tasks in `reset` returned to their prior status."""

    at: int
    tasks: tuple[str, ...] = ()
    reset: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueueMetadataChanged(QueueEvent):
    """Metadata items were put (JSON by key) or removed; `replace` drops the others first."""

    at: int
    put: dict[str, str]
    removed: tuple[str, ...] = ()
    replace: bool = False
