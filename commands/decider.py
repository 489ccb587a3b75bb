"""The company decider: one dispatch table from command type to decision and event type to fold."""

from __future__ import annotations

from commands import files, models
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.projects import decide as projects
from commands.projects import move as project_move
from commands.queues import lifecycle, task_decide
from commands.runs import decide as run_decide
from commands.runs import evolve as run_evolve
from commands.state import CompanyState
from commands.tasks import decider as tasks
from commands.tenancy import companies, credentials, preferences, profile
from commands.workers import registration, runtime

DECIDE: dict[type[Command], Decide] = {
    **lifecycle.DECIDE,
    **task_decide.DECIDE,
    **projects.DECIDE,
    **project_move.DECIDE,
    **tasks.DECIDE,
    **run_decide.DECIDE,
    **companies.DECIDE,
    **credentials.DECIDE,
    **profile.DECIDE,
    **preferences.DECIDE,
    **registration.DECIDE,
    **runtime.DECIDE,
    **models.DECIDE,
    **files.DECIDE,
}
EVOLVE: dict[type[Event], Evolve] = {
    **lifecycle.EVOLVE,
    **task_decide.EVOLVE,
    **projects.EVOLVE,
    **project_move.EVOLVE,
    **tasks.EVOLVE,
    **run_evolve.EVOLVE,
    **companies.EVOLVE,
    **credentials.EVOLVE,
    **profile.EVOLVE,
    **preferences.EVOLVE,
    **registration.EVOLVE,
    **runtime.EVOLVE,
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
