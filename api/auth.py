"""Who is calling: `authenticate(request, services) -> Identity`, as the ClearML server decides.

Accepted, in this order: the Authorization header (`Basic` credentials on any endpoint, or a
`Bearer` token from auth.login), else the `clearml_token_basic` cookie as a Bearer token.
Then an admin or system caller may take another user's identity of its own company with
X-ClearML-Impersonate-As (that user's role) or X-ClearML-Act-As (keeping its own role).
"""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from api import tokens
from api.call import Identity, header_text
from api.services import Services
from commands import errors
from commands.limits import MAX_KEY_CHARS
from streams import logs

COOKIE = "clearml_token_basic"
IMPERSONATORS = frozenset({"system", "root", "admin"})


async def authenticate(request: web.Request, services: Services) -> Identity:
    header = header_text(request.headers.get("Authorization", ""))
    if not header and (cookie := header_text(request.cookies.get(COOKIE) or "")):
        header = f"Bearer {cookie}"
    if not header:
        raise errors.NoCredentials()
    scheme, _, data = header.strip().partition(" ")
    if scheme == "Basic":
        identity = await _basic(data.strip(), services)
    elif scheme == "Bearer":
        identity = tokens.read(data.strip(), services.token_secret)
    else:
        raise errors.BadAuthType()
    identity = await _impersonated(request, identity, services)
    logs.bind_company(identity.company)  # the request's further log lines name it
    return identity


async def identify(request: web.Request, services: Services) -> Identity | None:
    """The caller when its credentials hold, else None (for endpoints open to anyone)."""
    try:
        return await authenticate(request, services)
    except errors.Rejected:
        return None


async def _basic(data: str, services: Services) -> Identity:
    if not data:
        raise errors.NoCredentials()
    try:
        decoded = base64.b64decode(data.encode(), validate=True).decode("latin-1")
    except (binascii.Error, ValueError) as exc:
        raise errors.BadCredentials(str(exc)) from None
    access_key, _, secret = decoded.partition(":")
    if not access_key or len(access_key) > MAX_KEY_CHARS:  # a key Cassandra would refuse
        raise errors.BadCredentials("no valid access key")
    return await services.verifier.pair(access_key, secret)


async def _impersonated(request: web.Request, identity: Identity, svc: Services) -> Identity:
    impersonate = _header(request, "Impersonate-As")
    act_as = _header(request, "Act-As")
    if not impersonate and not act_as:
        return identity
    if impersonate and act_as:
        raise errors.InvalidHeaders("only one allowed", headers=["Impersonate-As", "Act-As"])
    if identity.role not in IMPERSONATORS:
        raise errors.ImpersonationError("impersonation not allowed", role=identity.role)
    target = await svc.verifier.user(identity.company, act_as or impersonate or "")
    if target is None:
        raise errors.ImpersonationError(
            "unknown user", id=act_as or impersonate, company=identity.company
        )
    if act_as:
        name = f"{identity.user_name} (acting as {target.user_name})"
        return Identity(target.company, target.user, identity.role, name, target.company_name)
    name = f"{target.user_name} (impersonated by {identity.user_name})"
    return Identity(target.company, target.user, target.role, name, target.company_name)


def _header(request: web.Request, name: str) -> str | None:
    value = request.headers.get(f"X-ClearML-{name}") or request.headers.get(f"X-Trains-{name}")
    return None if value is None else header_text(value)
