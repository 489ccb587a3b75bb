"""Workers read model: registration rows, heartbeat writes, and the merge get_all serves."""

from commands.base import Envelope
from commands.state import CompanyState
from commands.workers.registration import WorkerRegistered, WorkerUnregistered
from commands.workers.status import WorkerStatusReported
from projections.mutations import Delete, Positioned, Upsert
from projections.workers import rows as workers
from projections.workers import view

NOW = 10_000_000


def reg(worker="w1", registered=NOW - 1000, timeout=600, queues=("q1",), tags=()):
    return {
        "worker": worker,
        "user_id": "u1",
        "registered": registered,
        "timeout": timeout,
        "queues": list(queues),
        "tags": list(tags),
        "ip": "10.0.0.1",
    }


def beat(worker="w1", at=NOW - 500, **fields):
    return {"worker": worker, "last_activity": at, "ip": "10.0.0.2", **fields}


def report(received, **fields):
    envelope = Envelope("e1", "WorkerStatusReported", "c1", "u1", "worker", "w1", received)
    message = WorkerStatusReported("w1", received, received, **fields)
    return Positioned(3, 41, envelope, message)


def test_registration_rows_are_written_and_deleted_per_company():
    state = CompanyState("c1")
    (row,) = workers.registered(WorkerRegistered("w1", "u1", 5, 60, ("q1",)), state)
    assert row.table == workers.REGISTRATIONS
    assert (row.values["company"], row.values["timeout"], row.values["queues"]) == (
        "c1",
        60,
        ["q1"],
    )
    gone = workers.unregistered(WorkerUnregistered("w1", "u1", 6), state)
    assert gone == [Delete(workers.REGISTRATIONS, {"company": "c1", "worker": "w1"})]


def test_heartbeats_are_written_at_their_offset_with_a_ttl_from_receipt():
    projection = workers.WorkerLivenessProjection(lambda: NOW / 1000)
    (write,) = projection.project([report(NOW - 60_000, task="t1", queues=("q1",))])
    assert write.timestamp == 42
    assert isinstance(write.mutation, Upsert)
    assert write.mutation.ttl == workers.HEARTBEAT_TTL_S - 60
    values = write.mutation.values
    assert (values["company"], values["task"], values["queue"], values["queues"]) == (
        "c1",
        "t1",
        None,
        ["q1"],
    )
    assert "tags" not in values  # a report without tags keeps the worker's tags


def test_heartbeats_too_old_to_matter_are_not_revived_by_a_replay():
    projection = workers.WorkerLivenessProjection(lambda: NOW / 1000)
    old = NOW - (workers.HEARTBEAT_TTL_S + 1) * 1000
    assert projection.project([report(old)]) == []


def test_a_worker_lives_while_heard_from_within_its_timeout():
    assert [w.id for w in view.live([reg()], [beat()], NOW)] == ["w1"]
    stale = NOW - 601_000
    assert view.live([reg(registered=stale)], [beat(at=stale)], NOW) == []
    assert view.live([reg(registered=stale)], [beat(at=NOW - 1000)], NOW)[0].id == "w1"


def test_heartbeats_of_unregistered_workers_are_not_listed():
    assert view.live([], [beat()], NOW) == []


def test_last_seen_narrows_the_list():
    workers_ = view.live([reg(registered=NOW - 6000)], [beat(at=NOW - 5000)], NOW, last_seen=2)
    assert workers_ == []


def test_a_heartbeat_older_than_the_registration_keeps_only_machine_facts():
    worker = view.merge(reg(registered=NOW), beat(at=NOW - 10, task="old", queues=["q9"]))
    assert (worker.task, worker.queues, worker.ip, worker.last_report) == (
        None,
        ("q1",),
        "10.0.0.2",
        None,
    )


def test_fresh_heartbeats_override_queues_and_tags():
    worker = view.merge(reg(), beat(task="t1", queue="q2", queues=["q2"], tags=["gpu"]))
    assert (worker.task, worker.queue, worker.queues, worker.tags) == (
        "t1",
        "q2",
        ("q2",),
        ("gpu",),
    )


def test_tags_filter_with_exclusion():
    listed = view.live([reg("a", tags=("gpu",)), reg("b", tags=("cpu",))], [], NOW)
    assert [w.id for w in view.tagged(listed, ("gpu",))] == ["a"]
    assert [w.id for w in view.tagged(listed, ("-gpu",))] == ["b"]


def test_to_api_joins_names_queues_and_the_current_task():
    worker = view.merge(reg(), beat(task="t1", queue="q1"))
    facts = view.Facts(
        "c1",
        "acme",
        {"u1": "alice"},
        {"q1": {"name": "gpu", "entries": [{"task": "t2"}, {"task": "t3"}]}},
        {
            "t1": {"name": "train", "started": NOW - 2000, "last_iteration": 7},
            "t2": {"name": "next"},
        },
    )
    out = view.to_api(worker, facts, NOW)
    assert out["key"] == "worker_c1_u1_w1"
    assert out["user"] == {"id": "u1", "name": "alice"}
    assert out["company"] == {"id": "c1", "name": "acme"}
    assert out["task"] == {"id": "t1", "name": "train", "running_time": 2000, "last_iteration": 7}
    expected_queue = {
        "id": "q1",
        "name": "gpu",
        "num_tasks": 2,
        "next_task": {"id": "t2", "name": "next"},
    }
    assert out["queue"] == expected_queue
    assert out["queues"] == [expected_queue]
    assert out["register_timeout"] == 600
    assert out["last_activity_time"].endswith("+00:00")


def test_queues_list_their_workers_with_the_current_task():
    worker = view.merge(reg(), beat(task="t1"))
    entry = view.queue_worker(worker, "c1", {"t1": "train"})
    assert entry == {
        "name": "w1",
        "ip": "10.0.0.2",
        "key": "worker_c1_u1_w1",
        "task": {"id": "t1", "name": "train"},
    }
    idle = view.queue_worker(view.merge(reg(), None), "c1", {})
    assert idle["task"] is None


def test_tags_filter_matches_any_of_the_requested_tags_as_clearml():
    listed = view.live(
        [reg("a", tags=("gpu", "big")), reg("b", tags=("cpu",)), reg("c", tags=())], [], NOW
    )
    assert [w.id for w in view.tagged(listed, ("gpu", "cpu"))] == ["a", "b"]
    assert [w.id for w in view.tagged(listed, ("gpu", "cpu", "-big"))] == ["b"]


def test_system_tags_are_kept_returned_and_filtered_on_their_own():
    state = CompanyState("c1")
    event = WorkerRegistered("w1", "u1", 5, 60, system_tags=("k8s",))
    (row,) = workers.registered(event, state)
    assert row.values["system_tags"] == ["k8s"]
    registration = {**reg("a"), "system_tags": ["k8s"]}
    listed = view.live([registration, reg("b", tags=("k8s",))], [], NOW)
    assert [w.id for w in view.tagged(listed, ("k8s",), "system_tags")] == ["a"]
    facts = view.Facts("c1", "acme")
    assert view.to_api(listed[0], facts, NOW)["system_tags"] == ["k8s"]
    fresher = view.merge(registration, beat(system_tags=["spot"]))
    assert fresher.system_tags == ("spot",)


def test_a_report_s_system_tags_reach_the_heartbeat_row():
    projection = workers.WorkerLivenessProjection(lambda: NOW / 1000)
    (write,) = projection.project([report(NOW, system_tags=("spot",))])
    assert write.mutation.values["system_tags"] == ["spot"]
    (bare,) = projection.project([report(NOW)])
    assert "system_tags" not in bare.mutation.values  # kept as they were, as tags are
