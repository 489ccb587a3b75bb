"""The projects, tenancy and history views' reads against a fake store holding tables."""

from __future__ import annotations

from projections.history import read as history
from projections.projects import read as projects
from projections.tenancy import read as tenancy
from tests.unit.tables_fake import TablesQuery

PROJECTS = [
    {"company": "c", "id": "p1", "name": "a/b", "created": 0, "tags": ["z", "y"]},
    {"company": "c", "id": "p2", "name": "top"},
    {"company": "other", "id": "p3", "name": "top"},
]


async def test_a_project_document_or_none():
    q = TablesQuery(projects=PROJECTS)
    doc = await projects.one(q, "c", "p1")
    assert doc is not None
    assert (doc["basename"], doc["tags"], doc["created"]) == (
        "b",
        ["y", "z"],
        "1970-01-01T00:00:00.000+00:00",
    )
    assert "user" not in doc  # absent fields are left out
    assert await projects.one(q, "c", "p3") is None


async def test_project_names_and_ids_within_the_company():
    q = TablesQuery(projects=PROJECTS)
    assert [d["id"] for d in await projects.every(q, "c")] == ["p1", "p2"]
    assert await projects.names(q, "c") == {"p1": "a/b", "p2": "top"}
    assert await projects.id_named(q, "other", "top") == "p3"
    assert await projects.id_named(q, "c", "nope") is None
    assert await projects.names_of(q, "c", {"p2", "p3"}) == {"p2": "top"}


COMPANIES = [{"id": "c", "name": "Co"}, {"id": "d", "name": "Do"}]
USERS = [
    {"company": "c", "id": "u1", "name": "Ann", "role": "admin", "created": 0},
    {"company": "c", "id": "u2", "name": "Bob", "role": "user", "created": None},
    {"company": "d", "id": "u3", "name": "Cy", "role": "user", "created": None},
]


def tenancy_store(**more: list[dict]) -> TablesQuery:
    return TablesQuery(companies=COMPANIES, users=USERS, **more)


async def test_a_user_with_their_company_or_none_when_either_is_unknown():
    q = tenancy_store()
    user = await tenancy.user(q, "c", "u1")
    assert user == {
        "id": "u1",
        "name": "Ann",
        "role": "admin",
        "company": {"id": "c", "name": "Co"},
        "created": "1970-01-01T00:00:00.000+00:00",
    }
    assert await tenancy.user(q, "c", "u3") is None
    assert await tenancy.user(TablesQuery(users=USERS), "c", "u1") is None


async def test_the_company_users_and_names():
    q = tenancy_store()
    assert [u["id"] for u in await tenancy.users(q, "c")] == ["u1", "u2"]
    assert await tenancy.user_names(q, "d") == {"u3": "Cy"}
    assert await tenancy.company_names(q, "c") == {"c": "Co"}
    assert await tenancy.company_ids(q) == {"Co": "c", "Do": "d"}


async def test_credentials_never_show_the_secret():
    pair = {"company": "c", "user_id": "u1", "access_key": "K", "secret_hash": "h", "label": "L"}
    q = tenancy_store(credentials=[pair], user_credentials=[{**pair, "secret_hash": None}])
    assert await tenancy.pair(q, "K") == tenancy.Pair("c", "u1", "h")
    assert await tenancy.pair(q, "nope") is None
    listed = await tenancy.credentials(q, "c", "u1")
    assert listed == [{"access_key": "K", "last_used": None, "label": "L"}]
    assert await tenancy.credentials(q, "c", "u2") == []


def entry(offset: int, kind: str = "task", ident: str = "t1", company: str = "c") -> dict:
    return {
        "company": company,
        "aggregate_type": kind,
        "aggregate_id": ident,
        "partition": 0,
        "offset": offset,
        "occurred_at": 0,
        "event_type": f"E{offset}",
        "user_id": "u",
        "request_id": None,
        "command": None,
        "command_id": None,
        "event_id": f"e{offset}",
        "data": '{"a": 1}' if offset else "",
    }


async def test_history_of_one_aggregate_of_the_company_oldest_first():
    rows = [entry(9), entry(0), entry(5, ident="t2"), entry(3, company="other"), entry(4, "queue")]
    found = await history.entries(TablesQuery(aggregate_history=rows), "c", "task", "t1")
    assert [e["event"] for e in found] == ["E0", "E9"]
    assert [e["fields"] for e in found] == [{}, {"a": 1}]
