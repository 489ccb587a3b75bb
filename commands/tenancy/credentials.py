"""Credential pairs of a company's users: create, relabel, revoke.

Only the secret's salted hash ever reaches a command: the secret itself is generated and shown
where the pair is created (API or CLI) and never enters the log. A revoked access key is never
accepted again, so a stale copy of a pair cannot be brought back by re-registering it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve, unchanged
from commands.state import CompanyState
from commands.tenancy.companies import user_of

# -- commands ---------------------------------------------------------------------------------


class CredentialsCommand(Command):
    AGGREGATE: ClassVar[str] = "user"


@dataclass(frozen=True)
class CreateCredentials(CredentialsCommand):
    """Give `user` a new pair; re-creating a pair the user already has changes nothing."""

    user: str
    access_key: str
    secret_hash: str
    label: str | None = None


@dataclass(frozen=True)
class EditCredentials(CredentialsCommand):
    user: str
    access_key: str
    label: str | None = None


@dataclass(frozen=True)
class RevokeCredentials(CredentialsCommand):
    user: str
    access_key: str


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialsEvent(Event):
    AGGREGATE: ClassVar[str] = "user"
    user: str
    access_key: str

    def aggregate_id(self) -> str:
        return self.user


@dataclass(frozen=True)
class CredentialsCreated(CredentialsEvent):
    secret_hash: str
    created: int
    label: str | None = None


@dataclass(frozen=True)
class CredentialsEdited(CredentialsEvent):
    label: str | None = None


@dataclass(frozen=True)
class CredentialsRevoked(CredentialsEvent):
    pass


# -- decide -----------------------------------------------------------------------------------


def create(state: CompanyState, cmd: CreateCredentials, ctx: Context) -> Decision:
    user_of(state, cmd.user)
    if not cmd.access_key or not cmd.secret_hash:
        raise errors.MissingRequiredFields(fields=["access_key", "secret_hash"])
    owner = state.credentials.get(cmd.access_key)
    if owner == cmd.user:
        return unchanged({"access_key": cmd.access_key, "created": False})
    if owner is not None or cmd.access_key in state.revoked_keys:
        raise errors.NotUnique("access key already used", access_key=cmd.access_key)
    event = CredentialsCreated(cmd.user, cmd.access_key, cmd.secret_hash, ctx.now, cmd.label)
    return Decision(event, {"access_key": cmd.access_key, "created": True})


def edit(state: CompanyState, cmd: EditCredentials, ctx: Context) -> Decision:
    _owned(state, cmd.user, cmd.access_key)
    event = CredentialsEdited(cmd.user, cmd.access_key, cmd.label)
    return Decision(event, {"updated": 1, "fields": {"label": cmd.label}})


def revoke(state: CompanyState, cmd: RevokeCredentials, ctx: Context) -> Decision:
    _owned(state, cmd.user, cmd.access_key)
    return Decision(CredentialsRevoked(cmd.user, cmd.access_key), {"revoked": 1})


def _owned(state: CompanyState, user: str, access_key: str) -> None:
    if state.credentials.get(access_key) != user:
        raise errors.InvalidUser(
            "invalid user or invalid access key", id=user, access_key=access_key
        )


# -- evolve -----------------------------------------------------------------------------------


def created(state: CompanyState, event: CredentialsCreated) -> CompanyState:
    state.credentials[event.access_key] = event.user
    return state


def edited(state: CompanyState, event: CredentialsEdited) -> CompanyState:
    return state


def revoked(state: CompanyState, event: CredentialsRevoked) -> CompanyState:
    del state.credentials[event.access_key]
    state.revoked_keys.add(event.access_key)
    return state


DECIDE: dict[type[Command], Decide] = {
    CreateCredentials: create,
    EditCredentials: edit,
    RevokeCredentials: revoke,
}
EVOLVE: dict[type[Event], Evolve] = {
    CredentialsCreated: created,
    CredentialsEdited: edited,
    CredentialsRevoked: revoked,
}
