"""The pure parts of the log tools: times, progress, value comparison, aggregate lookup."""

from datetime import datetime

import pytest
from cassandra.util import OrderedMapSerializedKey, SortedSet

from commands.state import CompanyState, Queue
from streams.ops.audit import find, render
from streams.ops.compare import encode, plain
from streams.ops.progress import Progress, Span
from streams.ops.rebuild import spans
from streams.ops.timespec import parse_time

NOW = 1_800_000_000_000


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("now", NOW),
        ("-90s", NOW - 90_000),
        ("-2h", NOW - 7_200_000),
        ("1800000000", 1_800_000_000_000),
        ("1800000000123", 1_800_000_000_123),
        ("2027-01-15T08:00:00Z", 1_800_000_000_000 + 0 * 1),
        ("2027-01-15T10:00:00+02:00", 1_800_000_000_000),
    ],
)
def test_times_in_every_accepted_form(text, millis):
    assert parse_time(text, NOW) == millis


def test_a_naive_time_is_utc_and_garbage_is_explained():
    assert parse_time("2027-01-15 08:00:00", NOW) == parse_time("2027-01-15T08:00:00Z", NOW)
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_time("yesterday-ish", NOW)


def test_spans_resume_after_the_last_position_and_respect_a_start():
    ends = {("history", 0): 100, ("history", 1): 50, ("control", 0): 10}
    planned = spans(ends, {("history", 1): 20}, {("history", 0): 39})
    assert (planned[("history", 0)].start, planned[("history", 0)].end) == (40, 100)
    assert planned[("history", 1)].start == 20
    assert planned[("control", 0)].start == 0


def test_progress_counts_rate_and_eta():
    spans = {("h", 0): Span(0, 100), ("h", 1): Span(0, 100)}
    progress = Progress(spans, began=0.0, clock=lambda: 10.0)
    progress.advance(("h", 0), 49)
    assert (progress.done, progress.total) == (50, 200)
    assert progress.rate() == 5.0
    assert progress.summary() == "replayed 50 events from 2 partitions in 10.0 s: 5 events/s"


def test_cassandra_values_compare_by_content():
    assert plain(SortedSet(["b", "a"])) == ["a", "b"]
    assert plain({"k": b"\x01"}) == {"k": "01"}
    assert plain(OrderedMapSerializedKey(None, 0)) == {}
    assert encode({"b": 1, "a": datetime(2027, 1, 1)}) == encode(
        {"a": datetime(2027, 1, 1), "b": 1}
    )


def test_find_locates_an_aggregate_by_kind_and_id():
    state = CompanyState("c1")
    state.queues["q1"] = Queue("q1", "one")
    assert find(state, "queue", "q1").name == "one"
    assert find(state, "task", "q1") is None
    assert find(None, "queue", "q1") is None


def test_an_audit_entry_reads_as_text():
    entry = {
        "time": "2027-01-15T08:00:00.000+00:00",
        "event": "QueueUpdated",
        "user": "alice",
        "request_id": "trx-1",
        "command": "UpdateQueue",
        "command_id": "c1",
        "position": {"partition": 2, "offset": 9},
        "fields": {"name": "new"},
    }
    head, fields = render(entry)
    assert "QueueUpdated" in head
    assert "by alice" in head
    assert "command UpdateQueue (c1)" in head
    assert "request trx-1" in head
    assert fields.strip() == 'name="new"'


def test_find_looks_inside_nested_books():
    from tests.unit.test_runs_decider import CREATED, given

    assert find(given(CREATED), "run", "r1") is not None
    assert find(given(CREATED), "run", "nope") is None


def test_find_locates_tasks_and_users():
    from commands.state import Task, User

    state = CompanyState("c1")
    state.tasks["t1"] = Task("t1", "created", "u1", 1, 1)
    state.users["u1"] = User("u1", "alice", "admin")
    assert find(state, "task", "t1").status == "created"
    assert find(state, "user", "u1").name == "alice"
