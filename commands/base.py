"""Building blocks every decider shares: messages, the decision context and the decision result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar


class Message:
    """A command, event or telemetry record; the Avro name is NAMESPACE + class name.

    COMPATIBILITY is what a change to the message promises (docs/schema-evolution.md):
    "backward" (the new reader reads all older data, always required) or "full" (readers of
    older versions can also read new data).
    """

    NAMESPACE: ClassVar[str] = "taskstream"
    COMPATIBILITY: ClassVar[str] = "backward"

    @classmethod
    def avro_name(cls) -> str:
        return f"{cls.NAMESPACE}.{cls.__name__}"


class Command(Message):
    """An imperative request to change the control plane, decided by exactly one decider.

    AGGREGATE names the aggregate type it targets; when the command has a field of that name,
    its value is the aggregate id recorded in the command's envelope.
    """

    NAMESPACE: ClassVar[str] = "taskstream.command"
    AGGREGATE: ClassVar[str] = ""


class Event(Message):
    """A past-tense fact appended to ts.events; AGGREGATE names what it belongs to."""

    NAMESPACE: ClassVar[str] = "taskstream.event"
    AGGREGATE: ClassVar[str] = ""

    def aggregate_id(self) -> str:
        raise NotImplementedError

    def affected(self) -> tuple[tuple[str, str], ...]:
        """Every aggregate (type, id) the event changes, its own first; the audit history files
        the event under each. Override when an event changes more than its own aggregate."""
        return ((self.AGGREGATE, self.aggregate_id()),)


class Telemetry(Message):
    """A high-volume report (metrics, logs, worker status): appended, never decided."""

    NAMESPACE: ClassVar[str] = "taskstream.telemetry"


@dataclass(frozen=True)
class Envelope:
    """Who did what to which aggregate, when, and because of which command (see avro/)."""

    event_id: str
    type: str
    company: str
    user: str
    aggregate_type: str
    aggregate_id: str
    occurred_at: int  # epoch milliseconds
    aggregate_version: int | None = None
    command_id: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Context:
    """What a decision may depend on besides state and command: who asks, when, and fresh ids.

    The clock and the id generator are parameters so decisions are deterministic in tests.
    """

    company: str
    user: str
    now: int  # epoch milliseconds
    new_id: Callable[[], str]


@dataclass(frozen=True)
class Decision:
    """The outcome of a command: at most one event (so appends are atomic) and the reply body."""

    event: Event | None
    reply: dict[str, Any] = field(default_factory=dict)


if TYPE_CHECKING:
    from commands.state import CompanyState

Decide = Callable[["CompanyState", Any, Context], Decision]
Evolve = Callable[["CompanyState", Any], "CompanyState"]


def unchanged(reply: dict[str, Any] | None = None) -> Decision:
    return Decision(None, reply or {})
