"""Password login: which user a login name and password belong to (auth.login's Basic
`name:password`, as the web app's login form sends it).

A name may be taken in several companies; the password is checked against each in turn (slow
hashes, so a handful at most) and must match exactly one of them.
"""

from __future__ import annotations

import asyncio

from api.keys import verify_secret
from projections.query_port import Query
from projections.tenancy.read import Pair
from projections.users import read as users


async def owner(store: Query, username: str, password: str) -> Pair | None:
    """The company and user logging in so, None unless exactly one password matches."""
    if not password:
        return None
    matching = [
        login
        for login in await users.logins(store, username)
        if await asyncio.to_thread(verify_secret, password, login.password_hash)
    ]
    if len(matching) != 1:
        return None
    (login,) = matching
    return Pair(login.company, login.user, login.password_hash)
