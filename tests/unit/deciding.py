"""Given/when/then helpers for decider tests: a state folded from events, a fixed context."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from commands import decider, errors
from commands.base import Context, Decision
from commands.queues.lifecycle import QueueCreated
from commands.state import CompanyState
from commands.tasks import events as e

COMPANY = "c1"
NOW = 10_000_000
IDS = itertools.count(1)  # unique across decisions, as uuids are


def context(now: int = NOW, user: str = "u1") -> Context:
    return Context(COMPANY, user, now, lambda: f"id{next(IDS)}")


def given(*events: Any) -> CompanyState:
    state = decider.initial_state(COMPANY)
    for event in events:
        decider.evolve(state, event)
    return state


def when(state: CompanyState, command: Any, **ctx: Any) -> Decision:
    return decider.decide(state, command, context(**ctx))


def then_event(state: CompanyState, command: Any, **ctx: Any) -> Any:
    """Decide, fold the event in (as the decider does) and return it."""
    decision = when(state, command, **ctx)
    assert decision.event is not None
    decider.evolve(state, decision.event)
    return decision.event


def rejected(state: CompanyState, command: Any, kind: type[errors.Rejected]) -> errors.Rejected:
    with pytest.raises(kind) as raised:
        when(state, command)
    return raised.value


def task_created(task: str = "t1", at: int = 1000, **kw: Any) -> e.TaskCreated:
    return e.TaskCreated(task, "a task", "training", "u0", at, **kw)


def queue_created(queue: str = "q1", name: str = "default", default: bool = True) -> QueueCreated:
    return QueueCreated(queue, name, 500, system_tags=("default",) if default else ())


def in_status(status: str, task: str = "t1", at: int = 2000) -> e.StatusChanged:
    """An event putting the task in `status` (the fold takes the status from the event)."""
    return e.TaskClosed(task, status, "", "", at, "u0")
