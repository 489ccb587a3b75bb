"""Worker reads: both worker tables merged, and the names the documents show, via a fake port."""

from __future__ import annotations

from projections.tenancy import read as tenancy_read
from projections.workers import read
from tests.unit.tables_fake import TablesQuery

NOW = 10_000_000


def reg(worker, company="c1", queues=("q1",), registered=NOW - 1000):
    return {
        "company": company,
        "worker": worker,
        "user_id": "u1",
        "registered": registered,
        "timeout": 600,
        "queues": list(queues),
        "tags": [],
        "ip": "1.2.3.4",
    }


def beat(worker, task=None, company="c1"):
    return {
        "company": company,
        "worker": worker,
        "last_activity": NOW - 10,
        "task": task,
        "queue": None,
        "ip": "5.6.7.8",
    }


def store():
    return TablesQuery(
        worker_registrations=[
            reg("w1"),
            reg("w2", queues=("q1", "q2")),
            reg("w3", "other"),
            reg("old", registered=NOW - 10_000_000),
        ],
        worker_heartbeats=[beat("w1", task="t1"), beat("w3", company="other")],
        tasks=[
            {"company": "c1", "id": "t1", "name": "train"},
            {"company": "c1", "id": "t2", "name": "x"},
        ],
        users=[
            {"company": "c1", "id": "u1", "name": "Ann"},
            {"company": "c2", "id": "u2", "name": "Bo"},
        ],
    )


async def test_live_merges_registrations_with_heartbeats_of_the_company():
    workers = await read.live(store(), "c1", NOW)
    assert [(w.id, w.task, w.ip) for w in workers] == [
        ("w1", "t1", "5.6.7.8"),
        ("w2", None, "1.2.3.4"),
    ]


async def test_registered_asks_for_one_worker():
    fake = store()
    assert await read.registered(fake, "c1", "w2")
    assert not await read.registered(fake, "c1", "w3")
    assert fake.calls[-1][1] == ["c1", "w3"]


async def test_names_of_users_and_tasks():
    fake = store()
    assert await tenancy_read.user_names(fake, "c1") == {"u1": "Ann"}
    assert await read.task_names(fake, "c1", ["t1", "nope"]) == {"t1": "train"}
    before = len(fake.calls)
    assert await read.task_names(fake, "c1", []) == {}
    assert len(fake.calls) == before  # no IN query for no ids


async def test_by_queue_lists_the_live_workers_serving_each_queue():
    served = await read.by_queue(store(), "c1", NOW)
    assert sorted(served) == ["q1", "q2"]
    assert [w["name"] for w in served["q1"]] == ["w1", "w2"]
    assert served["q1"][0]["task"] == {"id": "t1", "name": "train"}
    assert served["q1"][0]["key"] == "worker_c1_u1_w1"
    assert [w["name"] for w in served["q2"]] == ["w2"]
