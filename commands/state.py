"""The control-plane state of one company, folded from its events and owned by one decider.

Aggregate records are frozen and replaced on change; the indexes holding them are plain dicts
updated in place, so a fold over millions of events stays linear (copying a whole company
state per event would not).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from commands.runs.book import RunBook


@dataclass(frozen=True)
class Entry:
    """A task waiting in a queue; rank orders entries and only ever grows at the back."""

    rank: int
    task: str
    added: int


@dataclass(frozen=True)
class Queue:
    """What decisions need of a queue: its name (unique per company), the default tag, its
    entries. Its other fields live only in the read model (projections/control_view.py)."""

    id: str
    name: str
    system_tags: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Project:
    """What decisions need of a project: its name (unique per company) and its place in the tree."""

    id: str
    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """The decision-relevant part of a task; its documents (script, hyperparameters...) live
    only in the read model. Slots keep 100k tasks per company small."""

    id: str
    status: str
    user: str
    created: int
    last_update: int
    project: str | None = None
    system_tags: tuple[str, ...] = ()
    enqueue_status: str | None = None
    queue: str | None = None  # execution.queue
    last_worker: str | None = None
    started: int | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Model:
    """What decisions need of a model; its documents (design, labels, metadata...) live only
    in the read model."""

    id: str
    name: str
    created: int
    last_update: int
    uri: str = ""
    ready: bool = False
    task: str | None = None  # the creating task
    project: str | None = None
    system_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InputLink:
    """A task's input-model item: the model it names, and the item (JSON) as the task row
    holds it, so a forced model delete can re-point it without reading the read model."""

    model: str
    item: str


def touched(task: Task, at: int, **changes: object) -> Task:
    """The task with last_update moved to `at`, and changes."""
    return replace(task, last_update=at, **changes)  # type: ignore[arg-type]


@dataclass
class CompanyState:
    company: str
    queues: dict[str, Queue] = field(default_factory=dict)
    queue_names: dict[str, str] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    project_names: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    runs: RunBook = field(default_factory=RunBook)
    name: str | None = None  # None until the company was created
    users: dict[str, User] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=dict)  # access key -> user id
    revoked_keys: set[str] = field(default_factory=set)  # never handed out again
    models: dict[str, Model] = field(default_factory=dict)
    model_inputs: dict[str, dict[str, InputLink]] = field(default_factory=dict)  # task -> name
