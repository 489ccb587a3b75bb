"""users.get_current_user, get_all_ex, projects.get_user_names, server.info: who is there."""

from __future__ import annotations

import asyncio
from typing import Any

from api.call import Call
from api.endpoints import MAX_VERSION, SERVER_VERSION, Endpoint
from api.services import Services
from commands import errors
from projections.tenancy import rows as view


async def get_current_user(call: Call, svc: Services) -> dict[str, Any]:
    who = call.who
    users, companies = await asyncio.gather(
        svc.store.execute(view.SELECT_USER, [who.company, who.user]),
        svc.store.execute(view.SELECT_COMPANY, [who.company]),
    )
    if not users or not companies:
        raise errors.InvalidUserId(id=who.user)
    return {
        "user": view.user_to_api(users[0], companies[0]),
        "getting_started": {},
        "settings": {},
    }


async def get_user_names(call: Call, svc: Services) -> dict[str, Any]:
    """The caller's company's users, for the web app's user filters. ClearML narrows them to the
    users owning tasks or models in the given projects; this answers with all of them."""
    rows = await svc.store.execute(view.SELECT_USERS, [call.who.company])
    return {"users": sorted(({"id": r["id"], "name": r["name"]} for r in rows), key=_by_name)}


async def get_all_ex(call: Call, svc: Services) -> dict[str, Any]:
    """The caller's company's users, optionally those with the given ids."""
    who = call.who
    rows, companies = await asyncio.gather(
        svc.store.execute(view.SELECT_USERS, [who.company]),
        svc.store.execute(view.SELECT_COMPANY, [who.company]),
    )
    wanted = set(call.data.get("id") or [])
    users = [view.user_to_api(r, companies[0]) for r in rows if not wanted or r["id"] in wanted]
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
