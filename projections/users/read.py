"""Reading the users view: a user's preferences as one document, and who may log in by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from projections.query_port import Query

SELECT_PREFERENCES = "SELECT key, value FROM user_preferences WHERE company = ? AND user_id = ?"
SELECT_LOGINS = "SELECT * FROM user_logins WHERE username = ? LIMIT ?"
MAX_LOGINS = 8  # users of as many companies sharing one login name, each checked in turn


@dataclass(frozen=True)
class Login:
    company: str
    user: str
    password_hash: str


async def preferences(store: Query, company: str, user_id: str) -> dict[str, Any]:
    rows = await store.execute(SELECT_PREFERENCES, [company, user_id])
    return {row["key"]: orjson.loads(row["value"]) for row in rows}


async def logins(store: Query, username: str) -> list[Login]:
    """Every user logging in with this name (one per company at most)."""
    rows = await store.execute(SELECT_LOGINS, [username, MAX_LOGINS])
    return [Login(r["company"], r["user_id"], r["password_hash"] or "") for r in rows]
