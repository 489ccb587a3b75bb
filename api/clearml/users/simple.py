"""users.get_all and auth.create_user: the web app's simple (name-only) login, as ClearML runs it.

The app calls both with the web server's system key (credentials.json, `taskstream web`), lists
the company's users by name, creates a user for a new name, then logs in as the chosen user
through auth.login with X-ClearML-Impersonate-As. A key acts only within its own company: a user
is never created in, nor listed from, another one, whatever the caller's role.
"""

from __future__ import annotations

import uuid
from typing import Any

from api import fields
from api.auth import IMPERSONATORS
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.tenancy.companies import CreateUser
from commands.tenancy.profile import UpdateUser
from projections.tenancy import read as tenancy

SYSTEM_ROLES = frozenset({"system", "root"})  # service identities: never listed nor created here


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    """The caller's company's people (not its service identities), optionally those with ids."""
    wanted = set(fields.strings(call.data, "id") or [])
    users = await tenancy.users(svc.store, call.who.company)
    people = [u for u in users if u["role"] not in SYSTEM_ROLES]
    return {"users": sorted((u for u in people if not wanted or u["id"] in wanted), key=_name)}


async def create_user(call: Call, svc: Services) -> dict[str, Any]:
    """A new user of the caller's company (a system, root or admin caller): {id}."""
    who = call.who
    if who.role not in IMPERSONATORS:
        raise errors.RoleNotAllowed("only system and admin callers create users", role=who.role)
    name = fields.req_string(call.data, "name").strip()
    company = fields.req_string(call.data, "company")
    if company != who.company:
        raise errors.InvalidId("cannot create user in another company", company=company)
    role = fields.string(call.data, "role") or "user"
    if role in SYSTEM_ROLES:
        raise errors.RoleNotAllowed("system roles are not given out here", role=role)
    if role != "user" and who.role in SYSTEM_ROLES:
        # the web server's key is public in simple mode (credentials.json): it makes plain users
        raise errors.RoleNotAllowed("the web server's key creates plain users only", role=role)
    if not name:
        raise errors.ValidationError("name must not be empty")
    user = uuid.uuid4().hex
    await svc.bus.send(who, CreateUser(user, name, role), call.request_id)
    names = {f: fields.string(call.data, f) for f in ("given_name", "family_name")}
    if any(names.values()):
        await svc.bus.send(who, UpdateUser(user, **names), call.request_id)
    return {"id": user}


def _name(user: dict[str, Any]) -> str:
    return str(user["name"] or "")


ENDPOINTS = [
    Endpoint("users.get_all", get_all),
    Endpoint("auth.create_user", create_user),
]
