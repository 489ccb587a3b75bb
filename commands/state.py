"""The control-plane state of one company, folded from its events and owned by one decider.

Aggregate records are frozen and replaced on change; the indexes holding them are plain dicts
updated in place, so a fold over millions of events stays linear (copying a whole company
state per event would not).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.run_book import RunBook


@dataclass(frozen=True)
class Entry:
    """A task waiting in a queue; rank orders entries and only ever grows at the back."""

    rank: int
    task: str
    added: int


@dataclass(frozen=True)
class Queue:
    id: str
    name: str
    created: int
    last_update: int
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    display_name: str | None = None
    entries: tuple[Entry, ...] = ()


@dataclass
class CompanyState:
    company: str
    queues: dict[str, Queue] = field(default_factory=dict)
    queue_names: dict[str, str] = field(default_factory=dict)
    runs: RunBook = field(default_factory=RunBook)
