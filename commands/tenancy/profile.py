"""What a user may change about themselves (users.update), and a user's login password.

Only the password's salted hash ever reaches a command (api/keys.py); the password itself stays
with whoever typed it. The login name is fixed when the password is set: renaming a user later
changes the name shown, not the one typed at the login form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.state import CompanyState
from commands.tenancy.companies import user_of

ADMINS = frozenset({"system", "root", "admin"})
PROFILE_FIELDS = ("name", "given_name", "family_name", "avatar")

# -- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateUser(Command):
    """Change a user's names or avatar: a user may change themselves, an admin anyone."""

    AGGREGATE: ClassVar[str] = "user"
    user: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    avatar: str | None = None


@dataclass(frozen=True)
class SetPassword(Command):
    """Let `user` log in as `username` with the password hashed to `password_hash`."""

    AGGREGATE: ClassVar[str] = "user"
    user: str
    username: str
    password_hash: str


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserUpdated(Event):
    AGGREGATE: ClassVar[str] = "user"
    user: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    avatar: str | None = None

    def aggregate_id(self) -> str:
        return self.user


@dataclass(frozen=True)
class PasswordSet(Event):
    AGGREGATE: ClassVar[str] = "user"
    user: str
    username: str
    password_hash: str

    def aggregate_id(self) -> str:
        return self.user


# -- decide -----------------------------------------------------------------------------------


def update(state: CompanyState, cmd: UpdateUser, ctx: Context) -> Decision:
    user_of(state, cmd.user)
    caller = state.users.get(ctx.user)
    if cmd.user != ctx.user and (caller is None or caller.role not in ADMINS):
        raise errors.RoleNotAllowed("only admins may update other users", id=cmd.user)
    if cmd.name is not None and not cmd.name.strip():
        raise errors.ValidationError("name must not be empty")
    changed = {f: getattr(cmd, f) for f in PROFILE_FIELDS if getattr(cmd, f) is not None}
    if not changed:
        return Decision(None, {"updated": 0, "fields": {}})
    return Decision(UserUpdated(cmd.user, **changed), {"updated": 1, "fields": changed})


def set_password(state: CompanyState, cmd: SetPassword, ctx: Context) -> Decision:
    user_of(state, cmd.user)
    if not cmd.username.strip() or not cmd.password_hash.startswith("scrypt$"):
        raise errors.ValidationError("a username and a scrypt password hash are required")
    if any(u.name == cmd.username and u.id != cmd.user for u in state.users.values()):
        raise errors.NotUnique("another user has this name", username=cmd.username)
    event = PasswordSet(cmd.user, cmd.username, cmd.password_hash)
    return Decision(event, {"id": cmd.user, "username": cmd.username})


# -- evolve -----------------------------------------------------------------------------------


def updated(state: CompanyState, event: UserUpdated) -> CompanyState:
    user = state.users.get(event.user)
    if user is not None and event.name is not None:
        state.users[event.user] = replace(user, name=event.name)
    return state


def password_set(state: CompanyState, event: PasswordSet) -> CompanyState:
    return state


DECIDE: dict[type[Command], Decide] = {UpdateUser: update, SetPassword: set_password}
EVOLVE: dict[type[Event], Evolve] = {UserUpdated: updated, PasswordSet: password_set}
