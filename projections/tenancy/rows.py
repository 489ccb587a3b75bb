"""Companies, users and credentials read model: rows from tenancy events; the lookups are in
`projections.tenancy.read`."""

from __future__ import annotations

from typing import Any

from commands.state import CompanyState
from commands.tenancy.companies import CompanyCreated, UserCreated
from commands.tenancy.credentials import CredentialsCreated, CredentialsEdited, CredentialsRevoked
from projections.mutations import Delete, Mutation, Upsert
from projections.queues.rows import queue_row

COMPANIES = "companies"
USERS = "users"
CREDENTIALS = "credentials"
USER_CREDENTIALS = "user_credentials"
TABLES = (COMPANIES, USERS, CREDENTIALS, USER_CREDENTIALS)  # written by the decider only


def company_created(event: CompanyCreated, state: CompanyState) -> list[Mutation]:
    rows: list[Mutation] = [
        Upsert(COMPANIES, {"id": event.company, "name": event.name, "created": event.created})
    ]
    if event.default_queue is not None:
        rows.append(queue_row(state.company, state.queues[event.default_queue]))
    return rows


def user_created(event: UserCreated, state: CompanyState) -> list[Mutation]:
    values = {"company": state.company, "id": event.user, "name": event.name}
    return [Upsert(USERS, {**values, "role": event.role, "created": event.created})]


def credentials_created(event: CredentialsCreated, state: CompanyState) -> list[Mutation]:
    owner = {"company": state.company, "user_id": event.user, "access_key": event.access_key}
    common = {"label": event.label, "created": event.created}
    return [
        Upsert(CREDENTIALS, {**owner, "secret_hash": event.secret_hash, **common}),
        Upsert(USER_CREDENTIALS, {**owner, **common}),
    ]


def credentials_edited(event: CredentialsEdited, state: CompanyState) -> list[Mutation]:
    owner = {"company": state.company, "user_id": event.user, "access_key": event.access_key}
    return [
        Upsert(CREDENTIALS, {"access_key": event.access_key, "label": event.label}),
        Upsert(USER_CREDENTIALS, {**owner, "label": event.label}),
    ]


def credentials_revoked(event: CredentialsRevoked, state: CompanyState) -> list[Mutation]:
    owner = {"company": state.company, "user_id": event.user, "access_key": event.access_key}
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
