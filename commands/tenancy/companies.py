"""Companies and their users, decided on the company's own partition.

Creating a company also creates its "default" queue (system tag "default"), in the same event,
so no company ever exists without one. Both commands are idempotent: creating what already
exists changes nothing and answers as the first creation did, which is what lets seeding run
on every start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve, unchanged
from commands.queues.lifecycle import DEFAULT_TAG, QueueCreated
from commands.queues.lifecycle import created as queue_created
from commands.state import CompanyState, User

DEFAULT_QUEUE = "default"
ROLES = ("system", "root", "admin", "superuser", "user", "annotator", "guest")


# -- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateCompany(Command):
    """Create the company the command is keyed by (its id is the envelope's company)."""

    AGGREGATE: ClassVar[str] = "company"
    name: str


@dataclass(frozen=True)
class CreateUser(Command):
    """A user of the company, with a role ClearML knows."""

    AGGREGATE: ClassVar[str] = "user"
    user: str
    name: str
    role: str = "user"


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyCreated(Event):
    """A company came to be, with its default queue unless a queue named "default" existed."""

    AGGREGATE: ClassVar[str] = "company"
    company: str
    name: str
    created: int
    default_queue: str | None = None

    def aggregate_id(self) -> str:
        return self.company


@dataclass(frozen=True)
class UserCreated(Event):
    AGGREGATE: ClassVar[str] = "user"
    user: str
    name: str
    role: str
    created: int

    def aggregate_id(self) -> str:
        return self.user


# -- decide -----------------------------------------------------------------------------------


def create_company(state: CompanyState, cmd: CreateCompany, ctx: Context) -> Decision:
    if state.name is not None:
        return unchanged({"id": state.company, "created": False})
    if not cmd.name.strip():
        raise errors.ValidationError("company name must not be empty")
    queue = None if DEFAULT_QUEUE in state.queue_names else ctx.new_id()
    event = CompanyCreated(state.company, cmd.name, ctx.now, queue)
    return Decision(event, {"id": state.company, "created": True})


def create_user(state: CompanyState, cmd: CreateUser, ctx: Context) -> Decision:
    if state.name is None:
        raise errors.InvalidId("unknown company", company=state.company)
    if cmd.user in state.users:
        return unchanged({"id": cmd.user, "created": False})
    if not cmd.user or not cmd.name:
        raise errors.MissingRequiredFields(fields=["user", "name"])
    if cmd.role not in ROLES:
        raise errors.ValidationError(f"role must be one of {', '.join(ROLES)}")
    event = UserCreated(cmd.user, cmd.name, cmd.role, ctx.now)
    return Decision(event, {"id": cmd.user, "created": True})


def user_of(state: CompanyState, user_id: str) -> User:
    user = state.users.get(user_id)
    if user is None:
        raise errors.InvalidUserId(id=user_id, company=state.company)
    return user


# -- evolve -----------------------------------------------------------------------------------


def company_created(state: CompanyState, event: CompanyCreated) -> CompanyState:
    state.name = event.name
    if event.default_queue is not None:
        queue = QueueCreated(event.default_queue, DEFAULT_QUEUE, event.created, (), (DEFAULT_TAG,))
        queue_created(state, queue)
    return state


def user_created(state: CompanyState, event: UserCreated) -> CompanyState:
    state.users[event.user] = User(event.user, event.name, event.role)
    return state


DECIDE: dict[type[Command], Decide] = {
    CreateCompany: create_company,
    CreateUser: create_user,
}
EVOLVE: dict[type[Event], Evolve] = {
    CompanyCreated: company_created,
    UserCreated: user_created,
}
