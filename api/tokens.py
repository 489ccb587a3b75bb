"""Session tokens: HS256 JWTs with the claims the clearml SDK and agent read, and their secret.

The SDK and agent decode the token without verifying it, to learn `api_version`,
`server_version` and `feature_set` ("basic" keeps them off enterprise-only calls); the server
verifies signature and expiry on every Bearer call.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from pathlib import Path
from typing import Any

import jwt

from api.call import Identity
from api.endpoints import MAX_VERSION, SERVER_VERSION
from commands.errors import InvalidToken
from config.settings import Settings

ALGORITHM = "HS256"
DEFAULT_EXPIRATION_S = 30 * 24 * 3600
MAX_EXPIRATION_S = 365 * 24 * 3600
SECRET_FILE = "token_secret"


def token_secret(settings: Settings) -> str:
    """settings.token_secret, or the checkout's generated one, created once for all processes.

    Created under a temporary name and hard-linked into place: when several processes start
    together, exactly one link succeeds and the others read the winner's secret.
    """
    if settings.token_secret:
        return settings.token_secret
    path = settings.local_dir / SECRET_FILE
    if not path.exists():
        _create_once(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def _create_once(path: Path, secret: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secret)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def issue(identity: Identity, secret: str, now: float, expiration_s: int | None = None) -> str:
    iat = int(now)
    claims: dict[str, Any] = {
        "identity": {
            "user": identity.user,
            "company": identity.company,
            "role": identity.role,
            "user_name": identity.user_name,
            "company_name": identity.company_name,
        },
        "iat": iat,
        "exp": iat + (expiration_s or DEFAULT_EXPIRATION_S),
        "env": "<unknown>",
        "auth_type": "Bearer",
        "session_id": uuid.uuid4().hex,
        "api_version": MAX_VERSION,
        "server_version": SERVER_VERSION,
        "server_build": "",
        "feature_set": "basic",
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read(token: str, secret: str) -> Identity:
    """The identity of a valid, unexpired token; 401/30 otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
    except jwt.InvalidTokenError as exc:
        raise InvalidToken("invalid jwt token", reason=str(exc)) from None
    who = claims.get("identity")
    if not isinstance(who, dict) or not who.get("user") or not who.get("company"):
        raise InvalidToken("token missing identity")
    return Identity(
        company=str(who["company"]),
        user=str(who["user"]),
        role=str(who.get("role") or "user"),
        user_name=str(who.get("user_name") or ""),
        company_name=str(who.get("company_name") or ""),
    )
