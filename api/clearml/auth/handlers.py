"""auth.* handlers: session tokens and the caller's own credential pairs."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from api import fields, keys, tokens
from api.auth import COOKIE
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.tenancy.credentials import CreateCredentials, EditCredentials, RevokeCredentials
from projections.tenancy import read as tenancy


async def login(call: Call, svc: Services) -> dict[str, Any]:
    """A token for the caller (GET with Basic auth, optional expiration_sec ≤ 1 year)."""
    expiration = fields.integer(call.data, "expiration_sec")
    if expiration is not None and not 0 < expiration <= tokens.MAX_EXPIRATION_S:
        raise errors.ValidationError(
            f"expiration_sec must be between 1 and {tokens.MAX_EXPIRATION_S}"
        )
    # an impersonating caller (the web server's key in simple login) gets a token of the chosen
    # user, in its own name; acting as a user keeps the caller's role and says so in the name
    who = call.who
    if call.header("Impersonate-As"):
        who = await svc.verifier.user(who.company, who.user) or who
    token = tokens.issue(who, svc.token_secret, time.time(), expiration)
    call.cookies[COOKIE] = token
    return {"token": token}


async def logout(call: Call, _svc: Services) -> dict[str, Any]:
    call.cookies[COOKIE] = None
    return {}


async def create_credentials(call: Call, svc: Services) -> dict[str, Any]:
    """A new pair for the caller; the secret is shown here once and stored only hashed."""
    label = fields.string(call.data, "label")
    pair = keys.new_pair()
    secret_hash = await asyncio.to_thread(keys.hash_secret, pair.secret_key)
    command = CreateCredentials(call.who.user, pair.access_key, secret_hash, label)
    await svc.bus.send(call.who, command, call.request_id)
    credentials = {"access_key": pair.access_key, "secret_key": pair.secret_key}
    return {"credentials": {**credentials, **({"label": label} if label else {})}}


async def get_credentials(call: Call, svc: Services) -> dict[str, Any]:
    who = call.who
    return {"credentials": await tenancy.credentials(svc.store, who.company, who.user)}


async def edit_credentials(call: Call, svc: Services) -> dict[str, Any]:
    key = fields.req_string(call.data, "access_key")
    label = fields.string(call.data, "label")
    return await svc.bus.send(call.who, EditCredentials(call.who.user, key, label), call.request_id)


async def revoke_credentials(call: Call, svc: Services) -> dict[str, Any]:
    key = fields.req_string(call.data, "access_key")
    return await svc.bus.send(call.who, RevokeCredentials(call.who.user, key), call.request_id)


async def fixed_users_mode(_call: Call, _svc: Services) -> dict[str, Any]:
    """No fixed (username/password) users here: every client uses credential pairs."""
    return {"enabled": False, "guest": {"enabled": False}, "server_errors": {}}


ENDPOINTS = [
    Endpoint("auth.login", login, min_version="1.0"),  # every version ClearML serves it at
    Endpoint("auth.logout", logout, min_version="2.2"),
    Endpoint("auth.create_credentials", create_credentials, min_version="2.1"),
    Endpoint("auth.get_credentials", get_credentials, min_version="2.1"),
    Endpoint("auth.edit_credentials", edit_credentials, min_version="2.20"),
    Endpoint("auth.revoke_credentials", revoke_credentials, min_version="2.1"),
    Endpoint("auth.fixed_users_mode", fixed_users_mode, min_version="2.1", authorize=False),
]
