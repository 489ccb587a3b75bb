"""Decider snapshots: a folded partition state survives encode/decode exactly."""

from dataclasses import replace

import pytest

from commands.base import Envelope
from commands.queues.lifecycle import QueueCreated, QueueDeleted, QueueUpdated
from commands.runs.messages import RunMetricsReported
from commands.runs.values import RunMetric
from config.settings import Settings
from streams.schemas.records import Record
from streams.worker import snapshots
from streams.worker.partition_state import PartitionState
from tests.unit.projecting import projected
from tests.unit.test_runs_decider import CREATED, given


def record(company, event, n):
    env = Envelope(
        f"e{n}", type(event).__name__, company, "u", "queue", event.queue, 1000 + n, None, f"cmd{n}"
    )
    return Record(env, event, {"reply": f'{{"n": {n}}}'})


def folded():
    state = PartitionState()
    events = [
        ("c1", QueueCreated("q1", "one", 1, ("t",), ("s",), "One")),
        ("c1", QueueCreated("q2", "two", 2)),
        ("c2", QueueCreated("q1", "other", 3)),
        ("c1", QueueUpdated("q1", 4, name="uno", tags=("x", "y"))),
        ("c1", QueueDeleted("q2")),
    ]
    for offset, (company, event) in enumerate(events):
        state.fold(offset, record(company, event, offset))
    return state


def test_a_snapshot_restores_the_state_it_was_taken_from():
    state = folded()
    restored = PartitionState.from_snapshot(snapshots.decode(snapshots.encode(state.to_snapshot())))
    assert restored.companies == state.companies
    assert restored.projection.views == state.projection.views
    assert list(restored.replies.items()) == list(state.replies.items())
    assert (restored.folded, restored.last_at) == (4, 1004)


def test_a_restored_state_keeps_folding_like_the_original():
    state = folded()
    restored = PartitionState.from_snapshot(snapshots.decode(snapshots.encode(state.to_snapshot())))
    later = record("c1", QueueUpdated("q1", 9, display_name="U"), 5)
    state.fold(5, later)
    assert restored.fold(5, later, project=True) == state.fold(5, later, project=True)
    assert restored.companies == state.companies
    assert restored.projection.views == state.projection.views


def test_the_fingerprint_names_the_fold_code():
    assert snapshots.fingerprint() == snapshots.fingerprint()
    assert len(snapshots.fingerprint()) == 32


def test_an_unreadable_snapshot_raises_so_recovery_falls_back():
    with pytest.raises(Exception):  # noqa: B017, PT011 - any failure means "use the log"
        snapshots.decode(b"not a snapshot")


@pytest.mark.parametrize(
    ("unsnapshotted", "age_s", "due"),
    [(0, 10_000, False), (5, 1, False), (5, 400, True), (50_000, 0, True)],
)
def test_snapshots_are_due_by_event_count_or_age(unsnapshotted, age_s, due, monkeypatch):
    settings = replace(Settings(), snapshot_every_events=50_000, snapshot_every_s=300.0)
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: 1_000_000.0)
    assert snapshots.due(unsnapshotted, 1_000_000.0 - age_s, settings) is due


def test_states_with_tuple_keys_counters_and_frozensets_survive():
    """A company's runs: a Counter keyed by tuples, records holding frozensets of tuples."""
    metrics = RunMetricsReported("r1", (RunMetric("n1", "acc", 0.5), RunMetric("n2", "f1", 1.0)))
    company = given(CREATED, metrics)
    projection = projected(CREATED, metrics)  # the count rows' Counter keyed by tuples
    state = PartitionState(companies={company.company: company}, projection=projection)
    restored = PartitionState.from_snapshot(snapshots.decode(snapshots.encode(state.to_snapshot())))
    assert restored.companies == state.companies
    assert restored.projection.views == projection.views
    assert restored.projection.views["c1"].runs.count("*", "", "STORAGESTATE_AVAILABLE") == 1
    assert restored.companies[company.company].runs.runs["r1"].metrics == {
        ("n1", "acc"),
        ("n2", "f1"),
    }


def test_a_fold_skips_what_it_cannot_read_and_parks_it():
    from types import SimpleNamespace

    from streams.kafka.log_reader import LogRecord
    from streams.schemas.codec import Codec, Registry
    from streams.worker.partition_state import event_of

    runtime = SimpleNamespace(
        codec=Codec(Registry.load(Settings().schema_dir)), classes={}, settings=Settings()
    )
    dead = []
    assert event_of(runtime, LogRecord(1, 7, 0, b"k", b"hello"), dead) is None
    unknown = b"\xc3\x01" + b"\xff" * 8
    assert event_of(runtime, LogRecord(1, 8, 0, b"k", unknown), dead) is None
    assert [(d.stage, d.offset, type(d.error).__name__) for d in dead] == [
        ("recover", 7, "CorruptRecord"),
        ("recover", 8, "UnknownSchema"),
    ]


def test_a_company_with_every_kind_of_aggregate_survives():
    from commands.state import CompanyState, Entry, Project, Queue, Task, User

    company = CompanyState(
        "c1",
        queues={"q1": Queue("q1", "gpu", (), (Entry(1, "t1", 3),))},
        queue_names={"gpu": "q1"},
        projects={"p1": Project("p1", "research", None)},
        project_names={"research": "p1"},
        tasks={"t1": Task("t1", "queued", "u1", 1, 3, "p1", ("x",), "created", "q1")},
        name="acme",
        users={"u1": User("u1", "alice", "admin")},
        credentials={"key": "u1"},
        revoked_keys={"old-1", "old-2"},
    )
    state = PartitionState(companies={"c1": company})
    restored = PartitionState.from_snapshot(snapshots.decode(snapshots.encode(state.to_snapshot())))
    assert restored.companies == state.companies
    assert restored.companies["c1"].revoked_keys == {"old-1", "old-2"}
