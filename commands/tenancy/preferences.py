"""A user's web-app preferences, as ClearML keeps them: each posted top-level key replaces the
stored one, other keys stay.

Values travel as JSON text (the handler encodes them), so the event and its rows carry any
JSON the app stores without the decider looking inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState
from commands.tenancy.companies import user_of

MAX_KEYS = 200


@dataclass(frozen=True)
class SetPreferences(Command):
    AGGREGATE: ClassVar[str] = "user"
    user: str
    values: dict[str, str]  # top-level key -> its value as JSON


@dataclass(frozen=True)
class PreferencesSet(Event):
    AGGREGATE: ClassVar[str] = "user"
    user: str
    values: dict[str, str]

    def aggregate_id(self) -> str:
        return self.user


def set_preferences(state: CompanyState, cmd: SetPreferences, ctx: Context) -> Decision:
    user_of(state, cmd.user)
    bad = [k for k in cmd.values if not k or "." in k or k.startswith("$")]
    if bad:
        raise errors.ValidationError("preference keys may not contain '.' or start with '$'")
    if len(cmd.values) > MAX_KEYS:
        raise errors.ValidationError(f"at most {MAX_KEYS} preference keys at once")
    if not cmd.values:
        return Decision(None, {"updated": 0})
    return Decision(PreferencesSet(cmd.user, dict(cmd.values)), {"updated": 1})


def preferences_set(state: CompanyState, event: PreferencesSet) -> CompanyState:
    return state  # decisions never read preferences: only the read model keeps them


DECIDE: dict[type[Command], Decide] = {SetPreferences: set_preferences}
EVOLVE: dict[type[Event], Evolve] = {PreferencesSet: preferences_set}
