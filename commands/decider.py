"""The company decider: one dispatch table from command type to decision and event type to fold."""

from __future__ import annotations

from commands import (
    credentials,
    files,
    models,
    projects,
    queue_tasks,
    queues,
    run_decide,
    run_evolve,
    tasks,
    tenancy,
    workers,
)
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState

DECIDE: dict[type[Command], Decide] = {
    **queues.DECIDE,
    **queue_tasks.DECIDE,
    **projects.DECIDE,
    **tasks.DECIDE,
    **run_decide.DECIDE,
    **tenancy.DECIDE,
    **credentials.DECIDE,
    **workers.DECIDE,
    **models.DECIDE,
    **files.DECIDE,
}
EVOLVE: dict[type[Event], Evolve] = {
    **queues.EVOLVE,
    **queue_tasks.EVOLVE,
    **projects.EVOLVE,
    **tasks.EVOLVE,
    **run_evolve.EVOLVE,
    **tenancy.EVOLVE,
    **credentials.EVOLVE,
    **workers.EVOLVE,
    **models.EVOLVE,
    **files.EVOLVE,
}

COMMANDS: tuple[type[Command], ...] = tuple(DECIDE)
EVENTS: tuple[type[Event], ...] = tuple(EVOLVE)


def initial_state(company: str) -> CompanyState:
    return CompanyState(company)


def decide(state: CompanyState, command: Command, ctx: Context) -> Decision:
    """Decide a command against the state; raises a commands.errors.Rejected to refuse it."""
    return DECIDE[type(command)](state, command, ctx)


def evolve(state: CompanyState, event: Event) -> CompanyState:
    """Fold one event into the state (in place, see commands.state) and return it."""
    return EVOLVE[type(event)](state, event)
