"""Rows of the users view from the user events of commands/tenancy/{profile,preferences}.py.

Each row comes from its event alone (plus the company the event belongs to): a preference key,
a login, or the profile columns of the tenancy view's `users` row.
"""

from __future__ import annotations

from typing import Any, Protocol

from commands.tenancy.preferences import PreferencesSet
from commands.tenancy.profile import PROFILE_FIELDS, PasswordSet, UserUpdated
from projections.mutations import Mutation, Upsert
from projections.tenancy.rows import USERS

PREFERENCES = "user_preferences"
LOGINS = "user_logins"
TABLES = (PREFERENCES, LOGINS)  # written by the decider only


class Owner(Protocol):
    """Whatever the control projection passes along: it knows the event's company."""

    company: str


def preferences_set(event: PreferencesSet, owner: Owner) -> list[Mutation]:
    key = {"company": owner.company, "user_id": event.user}
    return [Upsert(PREFERENCES, {**key, "key": k, "value": v}) for k, v in event.values.items()]


def user_updated(event: UserUpdated, owner: Owner) -> list[Mutation]:
    changed = {f: getattr(event, f) for f in PROFILE_FIELDS if getattr(event, f) is not None}
    return [Upsert(USERS, {"company": owner.company, "id": event.user, **changed})]


def password_set(event: PasswordSet, owner: Owner) -> list[Mutation]:
    login = {"username": event.username, "company": owner.company, "user_id": event.user}
    return [Upsert(LOGINS, {**login, "password_hash": event.password_hash})]


ROWS: dict[type, Any] = {
    PreferencesSet: preferences_set,
    UserUpdated: user_updated,
    PasswordSet: password_set,
}
