"""users.get_current_user, get_all_ex, projects.get_user_names, server.info: who is there."""

from __future__ import annotations

from typing import Any

from api.call import Call
from api.endpoints import MAX_VERSION, SERVER_VERSION, Endpoint
from api.services import Services
from commands import errors
from projections.tenancy import read as tenancy


async def get_current_user(call: Call, svc: Services) -> dict[str, Any]:
    who = call.who
    user = await tenancy.user(svc.store, who.company, who.user)
    if user is None:
        raise errors.InvalidUserId(id=who.user)
    return {"user": user, "getting_started": {}, "settings": {}}


async def get_user_names(call: Call, svc: Services) -> dict[str, Any]:
    """The caller's company's users, for the web app's user filters. ClearML narrows them to the
    users owning tasks or models in the given projects; this answers with all of them."""
    names = await tenancy.user_names(svc.store, call.who.company)
    return {"users": sorted(({"id": i, "name": n} for i, n in names.items()), key=_by_name)}


async def get_all_ex(call: Call, svc: Services) -> dict[str, Any]:
    """The caller's company's users, optionally those with the given ids."""
    wanted = set(call.data.get("id") or [])
    users = await tenancy.users(svc.store, call.who.company)
    users = [u for u in users if not wanted or u["id"] in wanted]
    return {"users": sorted(users, key=_by_name)}


def _by_name(user: dict[str, Any]) -> str:
    return str(user["name"] or "")


async def info(_call: Call, _svc: Services) -> dict[str, Any]:
    return {
        "version": SERVER_VERSION,
        "build": "",
        "commit": "",
        "api_version": MAX_VERSION,
        "uid": "taskstream",
    }


ENDPOINTS = [
    Endpoint("users.get_current_user", get_current_user),
    Endpoint("server.info", info),
    Endpoint("users.get_all_ex", get_all_ex, min_version="2.8"),
    Endpoint("projects.get_user_names", get_user_names, min_version="2.13"),
]
