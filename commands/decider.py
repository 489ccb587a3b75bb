"""The company decider: one dispatch table from command type to decision and event type to fold."""

from __future__ import annotations

from commands import queues, run_decide, run_evolve
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState

DECIDE: dict[type[Command], Decide] = {**queues.DECIDE, **run_decide.DECIDE}
EVOLVE: dict[type[Event], Evolve] = {**queues.EVOLVE, **run_evolve.EVOLVE}

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
