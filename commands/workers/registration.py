"""Worker registration: the control-plane half of a worker (its heartbeats are telemetry).

Registration is decided because it is checked against the company's queues (an unknown queue
is 400/701). The decider keeps no worker state: liveness comes from heartbeats on
ts.worker-status and is merged with the registration at read time (projections/workers/rows.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState

DEFAULT_TIMEOUT_S = 600


class WorkerCommand(Command):
    AGGREGATE: ClassVar[str] = "worker"


@dataclass(frozen=True)
class RegisterWorker(WorkerCommand):
    """workers.register: the worker serves `queues` and is gone `timeout` s after last heard of."""

    worker: str
    timeout: int = DEFAULT_TIMEOUT_S
    queues: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ip: str | None = None
    system_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnregisterWorker(WorkerCommand):
    """workers.unregister: an unknown worker is not an error (ClearML's auto_unregister)."""

    worker: str


@dataclass(frozen=True)
class WorkerEvent(Event):
    AGGREGATE: ClassVar[str] = "worker"
    worker: str
    user: str
    at: int

    def aggregate_id(self) -> str:
        return self.worker


@dataclass(frozen=True)
class WorkerRegistered(WorkerEvent):
    timeout: int = DEFAULT_TIMEOUT_S
    queues: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ip: str | None = None
    system_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkerUnregistered(WorkerEvent):
    pass


def register(state: CompanyState, cmd: RegisterWorker, ctx: Context) -> Decision:
    if not cmd.worker:
        raise errors.MissingRequiredFields(fields=["worker"])
    if cmd.timeout <= 0:
        raise errors.WorkerRegistrationFailed(
            "invalid timeout", timeout=cmd.timeout, worker=cmd.worker
        )
    unknown = sorted(set(cmd.queues) - set(state.queues))
    if unknown:
        raise errors.InvalidQueueId(ids=unknown)
    event = WorkerRegistered(
        cmd.worker, ctx.user, ctx.now, cmd.timeout, cmd.queues, cmd.tags, cmd.ip, cmd.system_tags
    )
    return Decision(event, {})


def unregister(state: CompanyState, cmd: UnregisterWorker, ctx: Context) -> Decision:
    if not cmd.worker:
        raise errors.MissingRequiredFields(fields=["worker"])
    return Decision(WorkerUnregistered(cmd.worker, ctx.user, ctx.now), {})


def _unchanged(state: CompanyState, event: WorkerEvent) -> CompanyState:
    return state


DECIDE: dict[type[Command], Decide] = {RegisterWorker: register, UnregisterWorker: unregister}
EVOLVE: dict[type[Event], Evolve] = {WorkerRegistered: _unchanged, WorkerUnregistered: _unchanged}
