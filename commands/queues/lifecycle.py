"""Queues: create, update and delete, decided against the company's queue book."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import orjson

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState, Queue, touched

MIN_NAME_LENGTH = 3
DEFAULT_TAG = "default"


# -- commands ---------------------------------------------------------------------------------


class QueueCommand(Command):
    AGGREGATE: ClassVar[str] = "queue"


@dataclass(frozen=True)
class CreateQueue(QueueCommand):
    """queues.create: a new queue with a name unique in the company."""

    name: str
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    display_name: str | None = None
    metadata: dict[str, str] | None = None  # key -> JSON {key, type, value}


@dataclass(frozen=True)
class UpdateQueue(QueueCommand):
    """queues.update: change the given fields; a None field is left as it is, and metadata
    given replaces the queue's metadata."""

    queue: str
    name: str | None = None
    tags: tuple[str, ...] | None = None
    system_tags: tuple[str, ...] | None = None
    display_name: str | None = None
    metadata: dict[str, str] | None = None


@dataclass(frozen=True)
class DeleteQueue(QueueCommand):
    """queues.delete: a queue that still has entries needs force."""

    queue: str
    force: bool = False


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEvent(Event):
    AGGREGATE: ClassVar[str] = "queue"
    queue: str

    def aggregate_id(self) -> str:
        return self.queue


@dataclass(frozen=True)
class QueueCreated(QueueEvent):
    """A queue came to be, with no entries."""

    name: str
    created: int
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    display_name: str | None = None
    metadata: dict[str, str] | None = None


@dataclass(frozen=True)
class QueueUpdated(QueueEvent):
    """Fields of a queue changed; a None field did not change."""

    at: int
    name: str | None = None
    tags: tuple[str, ...] | None = None
    system_tags: tuple[str, ...] | None = None
    display_name: str | None = None
    metadata: dict[str, str] | None = None


@dataclass(frozen=True)
class QueueDeleted(QueueEvent):
    """A queue is gone; the tasks it still held are listed so read models can let go of them.
    Tasks in `reset` had it as their execution queue and returned to their prior status."""

    tasks: tuple[str, ...] = field(default=())
    at: int = 0
    reset: tuple[str, ...] = ()


# -- decide -----------------------------------------------------------------------------------


def create(state: CompanyState, cmd: CreateQueue, ctx: Context) -> Decision:
    check_name(state, cmd.name)
    queue_id = ctx.new_id()
    event = QueueCreated(
        queue_id, cmd.name, ctx.now, cmd.tags, cmd.system_tags, cmd.display_name, cmd.metadata
    )
    return Decision(event, {"id": queue_id})


def update(state: CompanyState, cmd: UpdateQueue, ctx: Context) -> Decision:
    queue = get(state, cmd.queue)
    if cmd.name is not None and cmd.name != queue.name:
        check_name(state, cmd.name)
    event = QueueUpdated(
        queue.id, ctx.now, cmd.name, cmd.tags, cmd.system_tags, cmd.display_name, cmd.metadata
    )
    return Decision(event, {"updated": 1, "fields": _updated_fields(event)})


def delete(state: CompanyState, cmd: DeleteQueue, ctx: Context) -> Decision:
    queue = get(state, cmd.queue)
    if queue.entries and not cmd.force:
        raise errors.QueueNotEmpty(queue=queue.id, num_entries=len(queue.entries))
    tasks = tuple(dict.fromkeys(entry.task for entry in queue.entries))
    reset = tuple(t for t in tasks if t in state.tasks and state.tasks[t].queue == queue.id)
    return Decision(QueueDeleted(queue.id, tasks, ctx.now, reset), {"deleted": 1})


def get(state: CompanyState, queue_id: str) -> Queue:
    queue = state.queues.get(queue_id)
    if queue is None:
        raise errors.InvalidQueueId(queue_id=queue_id)
    return queue


def check_name(state: CompanyState, name: str) -> None:
    if len(name) < MIN_NAME_LENGTH:
        raise errors.ValidationError(f"name must be at least {MIN_NAME_LENGTH} characters")
    if name in state.queue_names:
        raise errors.NotUnique(name=name)


# -- evolve -----------------------------------------------------------------------------------


def created(state: CompanyState, event: QueueCreated) -> CompanyState:
    state.queues[event.queue] = Queue(event.queue, event.name, event.system_tags)
    state.queue_names[event.name] = event.queue
    return state


def updated(state: CompanyState, event: QueueUpdated) -> CompanyState:
    queue = state.queues[event.queue]
    changes = _changes(event)
    if "name" in changes:
        del state.queue_names[queue.name]
        state.queue_names[changes["name"]] = queue.id
    state.queues[queue.id] = replace(queue, **changes)
    return state


def _updated_fields(event: QueueUpdated) -> dict[str, Any]:
    """The fields the update set, as ClearML's reply lists them (metadata by key)."""
    names = ("name", "tags", "system_tags", "display_name")
    out = {name: list(v) if isinstance(v, tuple) else v for name in names
           if (v := getattr(event, name)) is not None}  # fmt: skip
    if event.metadata is not None:
        out["metadata"] = {k: orjson.loads(v) for k, v in event.metadata.items()}
    return out


def _changes(event: QueueUpdated) -> dict[str, Any]:
    names = ("name", "system_tags")  # what decisions need (commands/state.py)
    return {name: value for name in names if (value := getattr(event, name)) is not None}


def deleted(state: CompanyState, event: QueueDeleted) -> CompanyState:
    queue = state.queues.pop(event.queue)
    del state.queue_names[queue.name]
    for task_id in event.reset:
        task = state.tasks[task_id]
        status = task.enqueue_status or "created"
        state.tasks[task_id] = touched(
            task, event.at, status=status, enqueue_status=None, queue=None
        )
    return state


DECIDE: dict[type[Command], Decide] = {
    CreateQueue: create,
    UpdateQueue: update,
    DeleteQueue: delete,
}
EVOLVE: dict[type[Event], Evolve] = {
    QueueCreated: created,
    QueueUpdated: updated,
    QueueDeleted: deleted,
}
