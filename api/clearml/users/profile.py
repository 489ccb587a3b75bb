"""users.get_preferences, set_preferences and update: what a user keeps and changes of their own."""

from __future__ import annotations

from typing import Any

import orjson

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.tenancy.preferences import SetPreferences
from commands.tenancy.profile import PROFILE_FIELDS, UpdateUser
from projections.users import read as users


async def get_preferences(call: Call, svc: Services) -> dict[str, Any]:
    who = call.who
    return {"preferences": await users.preferences(svc.store, who.company, who.user)}


async def set_preferences(call: Call, svc: Services) -> dict[str, Any]:
    """Each posted top-level key replaces the stored one; keys not posted stay."""
    posted = fields.mapping(call.data, "preferences")
    if posted is None:
        raise errors.MissingRequiredFields(fields=["preferences"])
    values = {key: orjson.dumps(value).decode() for key, value in posted.items()}
    reply = await _send(call, svc, SetPreferences(call.who.user, values))
    return {**reply, "fields": {"preferences": posted} if reply.get("updated") else {}}


async def update(call: Call, svc: Services) -> dict[str, Any]:
    """The caller's (or, for an admin, the given user's) names and avatar."""
    user = fields.string(call.data, "user") or call.who.user
    changes = {name: fields.string(call.data, name) for name in PROFILE_FIELDS}
    return await _send(call, svc, UpdateUser(user, **changes))


async def _send(call: Call, svc: Services, command: Any) -> dict[str, Any]:
    return await svc.bus.send(call.who, command, call.request_id)


ENDPOINTS = [
    Endpoint("users.get_preferences", get_preferences, min_version="2.1"),
    Endpoint("users.set_preferences", set_preferences, min_version="2.1"),
    Endpoint("users.update", update, min_version="2.1"),
]
