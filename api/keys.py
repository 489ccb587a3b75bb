"""Credential pairs: generation as ClearML shapes them, and salted scrypt hashes of secrets.

Contract: `hash_secret` returns "scrypt$n$r$p$salt$digest" (salt and digest base64); only that
string is stored or logged. `verify_secret` recomputes with the stored parameters and compares
in constant time, so parameters can be raised later without invalidating stored pairs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

KEY_CHARS = string.ascii_uppercase + string.digits
SECRET_CHARS = string.ascii_letters + string.digits
N, R, P = 2**14, 8, 1  # ~50 ms and 16 MiB per hash: slow for guessing, cached after success


@dataclass(frozen=True)
class Pair:
    access_key: str
    secret_key: str


def new_pair() -> Pair:
    """20 upper-case letters and digits, 50 letters and digits: what ClearML hands out."""
    key = "".join(secrets.choice(KEY_CHARS) for _ in range(20))
    secret = "".join(secrets.choice(SECRET_CHARS) for _ in range(50))
    return Pair(key, secret)


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(secret, salt, N, R, P)
    return "$".join(("scrypt", str(N), str(R), str(P), _b64(salt), _b64(digest)))


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(secret, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024**2, dklen=32)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
