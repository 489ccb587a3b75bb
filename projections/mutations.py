"""Row mutations: what a projection asks the read store to do, as plain data.

Every mutation is idempotent: applying it twice leaves the row as applying it once does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commands.base import Envelope


@dataclass(frozen=True)
class Upsert:
    """Write these columns of the row whose primary key is among `values`."""

    table: str
    values: dict[str, Any]
    ttl: int | None = None


@dataclass(frozen=True)
class Delete:
    """Remove the row (or the partition, or a clustering prefix) at `key`.

    `before` writes the deletion one tick before the write timestamp, so an event can clear
    what earlier events wrote and write anew in the same breath (a tombstone wins ties)."""

    table: str
    key: dict[str, Any]
    before: bool = False


@dataclass(frozen=True)
class MapPut:
    """Set entries of a map column without reading it; `removed` keys are dropped."""

    table: str
    key: dict[str, Any]
    column: str
    entries: dict[str, Any] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()


Mutation = Upsert | Delete | MapPut


@dataclass(frozen=True)
class Write:
    """A mutation at a write timestamp: the log position it came from, so later positions win
    whatever order writes arrive in and re-applying a position changes nothing. None lets the
    store's clock decide."""

    mutation: Mutation
    timestamp: int | None


@dataclass(frozen=True)
class Positioned:
    """A decoded log record where it sits in its topic, with its record-level extras (an
    event's `reply` and `command`)."""

    partition: int
    offset: int
    envelope: Envelope
    message: Any
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Read:
    """A query whose rows a stateful projection needs before it can fold a batch; the runtime
    runs it and hands the rows back under `key` (see streams/worker/projector.py)."""

    key: Any
    cql: str
    params: tuple[Any, ...]


@dataclass(frozen=True)
class Emit:
    """A message to append to a topic (logical name) before the batch counts as applied."""

    topic: str
    key: str
    envelope: Envelope
    message: Any
