"""The tasks view's reads (projections/tasks/read*.py) against a fake store holding tables."""

from __future__ import annotations

from typing import Any

from commands.tasks.patch import HYPERPARAMS
from projections.tasks import read, read_index
from projections.tasks.query import Plan
from tests.unit.tables_fake import TablesQuery

V = "2.23"


def task(task_id: str, company: str = "c", **values: Any) -> dict[str, Any]:
    row = {"id": task_id, "company": company, "name": f"name-{task_id}", "status": "created"}
    times = {"created": 1000, "last_update": 1000, "started": None}
    return {**row, "project": None, **times, **values}


def item(task_id: str, name: str, value: str) -> dict[str, Any]:
    body = f'{{"section": "Args", "name": "{name}", "value": "{value}", "type": "str"}}'
    return {"company": "c", "task": task_id, "kind": HYPERPARAMS, "section": "Args",
            "name": name, "value": body}  # fmt: skip


def store(*tasks: dict[str, Any], **tables: list[dict[str, Any]]) -> TablesQuery:
    return TablesQuery(tasks=list(tasks), **tables)


async def test_documents_of_the_existing_tasks_of_the_company_in_the_order_asked():
    q = store(task("t1"), task("t2"), task("t3", company="other"))
    docs = await read.by_ids(q, "c", ["t2", "gone", "t3", "t1"], None, V)
    assert [d["id"] for d in docs] == ["t2", "t1"]
    assert docs[0]["name"] == "name-t2"


async def test_items_and_telemetry_are_folded_into_the_document():
    q = store(
        task("t1"),
        task_items=[item("t1", "lr", "0.1"), item("t2", "lr", "9")],
        task_telemetry=[{"company": "c", "task": "t1", "last_iteration": 7}],
    )
    (doc,) = await read.by_ids(q, "c", ["t1"], None, V)
    assert doc["hyperparams"]["Args"]["lr"]["value"] == "0.1"
    assert doc["last_iteration"] == 7


async def test_fields_needing_neither_items_nor_telemetry_read_the_task_rows_only():
    q = store(task("t1"), task_items=[item("t1", "lr", "0.1")])
    (doc,) = await read.by_ids(q, "c", ["t1"], ["status"], V)
    assert q.tables_read() == ["tasks"]
    assert "hyperparams" not in doc
    await read.by_ids(q, "c", ["t1"], ["hyperparams", "last_iteration"], V)
    assert q.tables_read()[1:] == ["tasks", "task_items", "task_telemetry"]


async def test_ids_are_read_a_hundred_at_a_time():
    ids = [f"t{i}" for i in range(250)]
    q = store(*(task(i) for i in ids))
    docs = await read.by_ids(q, "c", ids, ["status"], V)
    assert [d["id"] for d in docs] == ids
    assert [len(params[1]) for _cql, params in q.calls] == [100, 100, 50]


async def test_no_ids_read_nothing():
    q = store(task("t1"))
    assert await read.by_ids(q, "c", [], None, V) == []
    assert await read.facts(q, "c", set()) == {}
    assert q.calls == []


async def test_names_and_statuses_of_existing_tasks():
    q = store(task("t1", status="queued"), task("t2", name=""), task("t3", company="other"))
    assert await read.names(q, "c", ["t1", "t2", "t3"]) == {"t1": "name-t1"}
    assert await read.statuses(q, "c", ["t1", "t2", "t3"]) == {"t1": "queued", "t2": "created"}


async def test_facts_name_the_project_and_the_last_iteration():
    q = store(
        task("t1", project="p1", started=5),
        task("t2"),
        projects=[{"company": "c", "id": "p1", "name": "Proj"}],
        task_telemetry=[{"company": "c", "task": "t1", "last_iteration": 3}],
    )
    facts = await read.facts(q, "c", {"t1", "t2", "t9"})
    assert facts["t1"] == {
        "name": "name-t1",
        "started": 5,
        "last_iteration": 3,
        "project": "p1",
        "project_name": "Proj",
    }
    assert facts["t2"]["project_name"] is None
    assert set(facts) == {"t1", "t2"}


def order_row(task_id: str, value: int, status: str = "created") -> dict[str, Any]:
    return {"company": "c", "field": "created", "value": value, "id": task_id, "status": status}


async def test_index_pairs_come_in_plan_order_and_say_when_exhausted():
    q = TablesQuery(task_order=[order_row("a", 1), order_row("b", 3), order_row("c", 2)])
    pairs, done = await read_index.pairs(q, "c", Plan("index", "created", True), 10)
    assert (pairs, done) == ([(3, "b"), (2, "c"), (1, "a")], True)
    ascending, _ = await read_index.pairs(q, "c", Plan("index", "created", False), 10)
    assert ascending == [(1, "a"), (2, "c"), (3, "b")]


async def test_merged_scans_cut_at_the_first_unread_value():
    rows = [order_row("a", 5, "queued"), order_row("b", 4, "queued"), order_row("c", 1, "queued")]
    rows += [order_row("d", 3, "created"), order_row("e", 2, "created")]
    q = TablesQuery(task_order=rows)
    plan = Plan("index", "created", True, statuses=("queued", "created"))
    pairs, done = await read_index.pairs(q, "c", plan, 2)
    assert (pairs, done) == ([(5, "a")], False)  # an unread queued row may precede (4, "b")
    assert [params[2] for _cql, params in q.calls] == ["queued", "created"]


async def test_index_documents_skip_rows_their_task_no_longer_agrees_with():
    q = store(task("a", created=5), task("b", created=9))
    plan = Plan("index", "created", True)
    found = [(5, "a"), (4, "b"), (3, "gone")]
    docs = await read_index.documents(q, "c", plan, found, fields=None, version=V)
    assert [d["id"] for d in docs] == ["a"]
