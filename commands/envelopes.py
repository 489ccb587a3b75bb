"""The one envelope builder: who sends a message, about which aggregate, when, and why.

Every record taskstream writes carries an `Envelope`. The API's ports build one for a command
sent (`sending`) or a telemetry record appended (`envelope`), the decider and the relays one
for a record that follows from another (`following`: same company, user, command and request).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from commands.base import Command, Envelope, Message


class Caller(Protocol):
    """Whoever a message is sent as: an API identity, or an `Actor` from the CLI or worker."""

    @property
    def company(self) -> str: ...

    @property
    def user(self) -> str: ...


@dataclass(frozen=True)
class Actor:
    company: str
    user: str


def envelope(
    message: Message,
    caller: Caller,
    aggregate: tuple[str, str],
    event_id: str,
    occurred_at: int,
    *,
    command_id: str | None = None,
    request_id: str | None = None,
) -> Envelope:
    """The envelope of `message`; `aggregate` is its (type, id), `occurred_at` epoch ms."""
    kind, ident = aggregate
    return Envelope(
        event_id=event_id,
        type=type(message).__name__,
        company=caller.company,
        user=caller.user,
        aggregate_type=kind,
        aggregate_id=ident,
        occurred_at=occurred_at,
        command_id=command_id,
        request_id=request_id,
    )


def following(
    cause: Envelope, message: Message, aggregate: tuple[str, str], event_id: str, occurred_at: int
) -> Envelope:
    """The envelope of a record caused by another: it keeps the cause's caller, command and
    request, so a reply, the history and a relayed record all trace back to one request."""
    return envelope(
        message,
        cause,
        aggregate,
        event_id,
        occurred_at,
        command_id=cause.command_id,
        request_id=cause.request_id,
    )


def sending(
    command: Command,
    caller: Caller,
    command_id: str,
    occurred_at: int,
    request_id: str | None = None,
) -> Envelope:
    """The envelope of a command: its event id is its command id."""
    aggregate = command_aggregate(command)
    return envelope(
        command,
        caller,
        aggregate,
        command_id,
        occurred_at,
        command_id=command_id,
        request_id=request_id,
    )


def command_aggregate(command: Command) -> tuple[str, str]:
    """AGGREGATE names the aggregate type; its id is the command's field of that name, if any
    (StopNonResponsiveTasks targets every task of the company: no id)."""
    kind = command.AGGREGATE
    if not kind:
        return "", ""
    return kind, str(getattr(command, kind, "") or "")
