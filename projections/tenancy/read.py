"""Reading companies, users and credentials: the lookups authentication and the users.* and
auth.* endpoints make, as documents or plain values (never the secret outside `pair`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.query_port import Query, Row
from projections.timefmt import iso

SELECT_CREDENTIALS = "SELECT * FROM credentials WHERE access_key = ?"
SELECT_COMPANY = "SELECT * FROM companies WHERE id = ?"
SELECT_COMPANIES = "SELECT * FROM companies"
SELECT_USER = "SELECT * FROM users WHERE company = ? AND id = ?"
SELECT_USERS = "SELECT * FROM users WHERE company = ?"
SELECT_USER_CREDENTIALS = "SELECT * FROM user_credentials WHERE company = ? AND user_id = ?"


@dataclass(frozen=True)
class Pair:
    """Who owns an access key, and the hash its secret must match."""

    company: str
    user: str
    secret_hash: str


async def pair(store: Query, access_key: str) -> Pair | None:
    rows = await store.execute(SELECT_CREDENTIALS, [access_key])
    if not rows:
        return None
    row = rows[0]
    return Pair(row["company"], row["user_id"], row["secret_hash"] or "")


async def user(store: Query, company: str, user_id: str) -> dict[str, Any] | None:
    """The user's document (with its company's id and name), None if either is unknown."""
    users = await store.execute(SELECT_USER, [company, user_id])
    companies = await store.execute(SELECT_COMPANY, [company])
    if not users or not companies:
        return None
    return user_to_api(users[0], companies[0])


async def users(store: Query, company: str) -> list[dict[str, Any]]:
    """The company's users' documents (the company must exist)."""
    rows = await store.execute(SELECT_USERS, [company])
    companies = await store.execute(SELECT_COMPANY, [company])
    return [user_to_api(row, companies[0]) for row in rows]


async def user_names(store: Query, company: str) -> dict[str, Any]:
    """User id -> name, for every user of the company."""
    return {row["id"]: row["name"] for row in await store.execute(SELECT_USERS, [company])}


async def company_names(store: Query, company: str) -> dict[str, Any]:
    """Company id -> name: the company's own, when it exists."""
    return {row["id"]: row["name"] for row in await store.execute(SELECT_COMPANY, [company])}


async def company_ids(store: Query) -> dict[str, str]:
    """Company name -> id, over every company."""
    return {row["name"]: row["id"] for row in await store.execute(SELECT_COMPANIES)}


async def credentials(store: Query, company: str, user_id: str) -> list[dict[str, Any]]:
    rows = await store.execute(SELECT_USER_CREDENTIALS, [company, user_id])
    return [credentials_to_api(row) for row in rows]


def credentials_to_api(row: Row) -> dict[str, Any]:
    """A pair as auth.get_credentials lists it: never the secret. last_used is not tracked."""
    out = {"access_key": row["access_key"], "last_used": None}
    if row.get("label"):
        out["label"] = row["label"]
    return out


def user_to_api(user: Row, company: Row) -> dict[str, Any]:
    """A user as users.get_current_user describes them."""
    return {
        "id": user["id"],
        "name": user["name"],
        "role": user["role"],
        **{f: user[f] for f in ("given_name", "family_name", "avatar") if user.get(f)},
        "company": {"id": company["id"], "name": company["name"]},
        "created": iso(user.get("created")),
    }
