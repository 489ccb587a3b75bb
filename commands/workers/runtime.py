"""Worker runtime properties (workers.set_runtime_properties): string values a user keeps on a
worker, each with an optional expiry, that the clearml-agent reads back (e.g. `force: off`).

As in ClearML they belong to the (user, worker) pair and need no registered worker; an expiry
of 0 removes the property, none keeps it until it is set again. The event carries absolute
expiry times so a replay rebuilds the same rows; reads leave out the expired ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState
from commands.workers.registration import WorkerCommand, WorkerEvent


@dataclass(frozen=True)
class RuntimeProperty:
    key: str
    value: str | None = None
    expiry: int | None = None  # seconds from now; 0 removes, None never expires


@dataclass(frozen=True)
class SetWorkerRuntimeProperties(WorkerCommand):
    worker: str
    properties: tuple[RuntimeProperty, ...] = ()


@dataclass(frozen=True)
class WorkerRuntimePropertiesSet(WorkerEvent):
    """Properties put (key -> value) with their expiry times (key -> epoch ms, only for those
    that expire), and keys removed."""

    put: dict[str, str]
    expires: dict[str, int]
    removed: tuple[str, ...] = ()


def set_properties(state: CompanyState, cmd: SetWorkerRuntimeProperties, ctx: Context) -> Decision:
    if not cmd.worker:
        raise errors.MissingRequiredFields(fields=["worker"])
    put: dict[str, str] = {}
    expires: dict[str, int] = {}
    removed: list[str] = []
    for prop in cmd.properties:
        if prop.expiry is not None and prop.expiry < 0:
            raise errors.ValidationError("runtime property expiry must not be negative")
        if prop.expiry == 0:
            removed.append(prop.key)
            put.pop(prop.key, None)
            expires.pop(prop.key, None)
            continue
        if prop.key in removed:
            removed.remove(prop.key)
        put[prop.key] = prop.value or ""
        expires.pop(prop.key, None)
        if prop.expiry is not None:
            expires[prop.key] = ctx.now + prop.expiry * 1000
    event = WorkerRuntimePropertiesSet(cmd.worker, ctx.user, ctx.now, put, expires, tuple(removed))
    return Decision(event, reply(ctx, event))


def reply(ctx: Context, event: WorkerRuntimePropertiesSet) -> dict[str, list[str]]:
    """ClearML answers with the keys it wrote and deleted, in its own key format."""
    prefix = f"worker_{ctx.company}_{ctx.user}_{event.worker}_prop_"
    return {
        "added": [prefix + key for key in event.put],
        "removed": [prefix + key for key in event.removed],
        "errors": [],
    }


def _unchanged(state: CompanyState, event: WorkerRuntimePropertiesSet) -> CompanyState:
    return state


DECIDE: dict[type[Command], Decide] = {SetWorkerRuntimeProperties: set_properties}
EVOLVE: dict[type[Event], Evolve] = {WorkerRuntimePropertiesSet: _unchanged}
