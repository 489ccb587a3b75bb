"""Queue reads: documents from the queues and queue_entries rows, through a fake Query port."""

from __future__ import annotations

from datetime import UTC, datetime

from projections.queues import read
from tests.unit.tables_fake import TablesQuery

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def queue(id_="q1", company="c1", name="default", **more):
    row = {
        "company": company,
        "id": id_,
        "name": name,
        "display_name": None,
        "created": T0,
        "last_update": T0,
        "tags": None,
        "system_tags": ["default"],
        "metadata": None,
    }
    return {**row, **more}


def entry(rank, task, queue_id="q1", company="c1"):
    return {"company": company, "queue": queue_id, "rank": rank, "task": task, "added": T0}


def store():
    rows = [
        queue(),
        queue("q2", name="gpu", metadata={"k": '{"key": "k", "value": "v"}'}),
        queue("q3", company="other"),
    ]
    return TablesQuery(
        queues=rows, queue_entries=[entry(1, "a"), entry(2, "b"), entry(0, "x", "q2")]
    )


async def test_one_is_the_document_with_its_entries_in_queue_order():
    doc = await read.one(store(), "c1", "q1")
    assert doc is not None
    assert doc["entries"] == [
        {"task": "a", "added": "2026-01-02T03:04:05.000+00:00"},
        {"task": "b", "added": "2026-01-02T03:04:05.000+00:00"},
    ]
    assert (doc["id"], doc["name"], doc["tags"], doc["system_tags"]) == (
        "q1",
        "default",
        [],
        ["default"],
    )
    assert doc["metadata"] == {}
    assert "display_name" not in doc


async def test_an_unknown_queue_is_none_and_its_entries_are_not_read():
    fake = store()
    assert await read.one(fake, "c1", "q3") is None  # another company's
    assert fake.tables_read() == ["queues"]


async def test_listed_documents_wait_for_their_entries_until_filled():
    fake = store()
    docs = await read.listed(fake, "c1")
    assert [(d["id"], d["entries"]) for d in docs] == [("q1", []), ("q2", [])]
    filled = await read.filled(fake, docs[1])
    assert [e["task"] for e in filled["entries"]] == ["x"]
    assert filled["metadata"] == {"k": {"key": "k", "value": "v"}}
    assert list(filled) == list(docs[1])  # entries keep their place in the document


async def test_entries_and_creation_times():
    fake = store()
    assert [e["task"] for e in await read.entries(fake, "c1", "q1")] == ["a", "b"]
    assert await read.created(fake, "c1") == {"q1": T0, "q2": T0}


def test_display_name_shows_when_set():
    assert read.document(queue(display_name="Default"), [])["display_name"] == "Default"
