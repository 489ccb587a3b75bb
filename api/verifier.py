"""Who a credential pair (or a login name and password) or user id is: lookups in the tenancy
and users tables, behind a short cache.

Checking a secret costs a deliberately slow scrypt hash, and clients may send Basic credentials
on every call, so a verified pair is remembered for CACHE_S seconds (keyed by a fast digest of
key and secret, so a wrong secret never hits the cache). Concurrent first uses of one pair
share a single check. A revoked pair therefore keeps working for at most CACHE_S seconds in an
API process that verified it just before.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from api import passwords
from api.call import Identity
from api.keys import verify_secret
from commands.errors import InvalidCredentials
from projections.tenancy import read as tenancy
from streams.cassandra.store import Store

CACHE_S = 30.0
CACHE_MAX = 10_000


@dataclass(frozen=True)
class Verified:
    digest: bytes
    identity: Identity
    until: float


class Verifier:
    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.clock = clock
        self._verified: dict[str, Verified] = {}
        self._checking: dict[bytes, asyncio.Future[Identity]] = {}

    async def pair(self, access_key: str, secret: str) -> Identity:
        """The identity owning this pair; 401/22 when the key is unknown or the secret wrong."""
        digest = hashlib.sha256(f"{access_key}\0{secret}".encode()).digest()
        hit = self._verified.get(access_key)
        if hit and hit.until > self.clock() and hmac.compare_digest(hit.digest, digest):
            return hit.identity
        check = self._checking.get(digest)
        if check is None:
            check = asyncio.ensure_future(self._check(access_key, secret, digest))
            self._checking[digest] = check
            check.add_done_callback(lambda _: self._checking.pop(digest, None))
        # shielded: a caller that gives up must not cancel the check others wait for
        return await asyncio.shield(check)

    async def _check(self, access_key: str, secret: str, digest: bytes) -> Identity:
        found = await tenancy.pair(self.store, access_key)
        if found is None:  # not an access key: perhaps a user's login name and password
            found = await passwords.owner(self.store, access_key, secret)
        elif not await asyncio.to_thread(verify_secret, secret, found.secret_hash):
            found = None
        if found is None:
            raise InvalidCredentials("failed to locate provided credentials")
        identity = await self.user(found.company, found.user)
        if identity is None:
            raise InvalidCredentials("invalid user company")
        self._remember(access_key, Verified(digest, identity, self.clock() + CACHE_S))
        return identity

    def _remember(self, access_key: str, verified: Verified) -> None:
        if len(self._verified) >= CACHE_MAX:
            now = self.clock()
            self._verified = {k: v for k, v in self._verified.items() if v.until > now}
        self._verified[access_key] = verified

    async def user(self, company: str, user_id: str) -> Identity | None:
        """The identity of a user of `company`, or None when either does not exist."""
        user = await tenancy.user(self.store, company, user_id)
        if user is None:
            return None
        return Identity(company, user_id, user["role"], user["name"], user["company"]["name"])
