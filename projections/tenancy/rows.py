"""Companies, users and credentials read model: rows from tenancy events, and the lookups that
authentication and the auth.* endpoints make."""

from __future__ import annotations

from typing import Any

from commands.tenancy.companies import CompanyCreated, UserCreated
from commands.tenancy.credentials import CredentialsCreated, CredentialsEdited, CredentialsRevoked
from projections.control_view import CompanyView
from projections.mutations import Delete, Mutation, Upsert
from projections.queues.rows import queue_row
from projections.timefmt import iso

COMPANIES = "companies"
USERS = "users"
CREDENTIALS = "credentials"
USER_CREDENTIALS = "user_credentials"
TABLES = (COMPANIES, USERS, CREDENTIALS, USER_CREDENTIALS)  # written by the decider only

SELECT_CREDENTIALS = "SELECT * FROM credentials WHERE access_key = ?"
SELECT_COMPANY = "SELECT * FROM companies WHERE id = ?"
SELECT_COMPANIES = "SELECT * FROM companies"
SELECT_USER = "SELECT * FROM users WHERE company = ? AND id = ?"
SELECT_USERS = "SELECT * FROM users WHERE company = ?"
SELECT_USER_CREDENTIALS = "SELECT * FROM user_credentials WHERE company = ? AND user_id = ?"


def company_created(event: CompanyCreated, view: CompanyView) -> list[Mutation]:
    rows: list[Mutation] = [
        Upsert(COMPANIES, {"id": event.company, "name": event.name, "created": event.created})
    ]
    if event.default_queue is not None:
        rows.append(queue_row(view.company, view.queues[event.default_queue]))
    return rows


def user_created(event: UserCreated, view: CompanyView) -> list[Mutation]:
    values = {"company": view.company, "id": event.user, "name": event.name}
    return [Upsert(USERS, {**values, "role": event.role, "created": event.created})]


def credentials_created(event: CredentialsCreated, view: CompanyView) -> list[Mutation]:
    owner = {"company": view.company, "user_id": event.user, "access_key": event.access_key}
    common = {"label": event.label, "created": event.created}
    return [
        Upsert(CREDENTIALS, {**owner, "secret_hash": event.secret_hash, **common}),
        Upsert(USER_CREDENTIALS, {**owner, **common}),
    ]


def credentials_edited(event: CredentialsEdited, view: CompanyView) -> list[Mutation]:
    owner = {"company": view.company, "user_id": event.user, "access_key": event.access_key}
    return [
        Upsert(CREDENTIALS, {"access_key": event.access_key, "label": event.label}),
        Upsert(USER_CREDENTIALS, {**owner, "label": event.label}),
    ]


def credentials_revoked(event: CredentialsRevoked, view: CompanyView) -> list[Mutation]:
    owner = {"company": view.company, "user_id": event.user, "access_key": event.access_key}
    return [
        Delete(CREDENTIALS, {"access_key": event.access_key}),
        Delete(USER_CREDENTIALS, owner),
    ]


ROWS: dict[type, Any] = {
    CompanyCreated: company_created,
    UserCreated: user_created,
    CredentialsCreated: credentials_created,
    CredentialsEdited: credentials_edited,
    CredentialsRevoked: credentials_revoked,
}


# -- reading ------------------------------------------------------------------------------------


def credentials_to_api(row: dict[str, Any]) -> dict[str, Any]:
    """A pair as auth.get_credentials lists it: never the secret. last_used is not tracked."""
    out = {"access_key": row["access_key"], "last_used": None}
    if row.get("label"):
        out["label"] = row["label"]
    return out


def user_to_api(user: dict[str, Any], company: dict[str, Any]) -> dict[str, Any]:
    """The caller as users.get_current_user describes them."""
    return {
        "id": user["id"],
        "name": user["name"],
        "role": user["role"],
        "company": {"id": company["id"], "name": company["name"]},
        "created": iso(user.get("created")),
    }
