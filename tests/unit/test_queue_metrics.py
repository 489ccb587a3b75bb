"""Queue metrics: samples from the state after each change, refreshes derived on read, intervals."""

from __future__ import annotations

from dataclasses import dataclass

from commands.queues.lifecycle import QueueCreated, QueueUpdated
from commands.state import Entry
from projections.control import project
from projections.control_view import CompanyView, QueueLine
from projections.queue_metrics import read
from projections.queue_metrics.rows import touched


@dataclass(frozen=True)
class Placed:
    queue: str
    task: str
    rank: int


@dataclass(frozen=True)
class SomeTaskLeftQueues:
    """Shaped like the tasks slice's TaskDequeued / TaskReset / TaskDeleted."""

    task: str
    dequeued: tuple[Placed, ...]


def view_with(queue: QueueLine) -> CompanyView:
    view = CompanyView("c1")
    view.queues[queue.id] = queue
    return view


def test_a_change_records_length_and_average_wait_at_its_time():
    queue = QueueLine("q1", "queue", created=0, last_update=10_000,
                  entries=(Entry(0, "a", 4_000), Entry(1, "b", 8_000)))  # fmt: skip
    (row,) = [r for r in project(view_with(queue), QueueCreated("q1", "queue", 0))
              if r.table == "queue_metrics"]  # fmt: skip
    assert row.values["timestamp"] == 10_000
    assert row.values["queue_length"] == 2
    assert row.values["avg_waiting_time"] == 4.0  # (6 s + 2 s) / 2


def test_events_name_the_queues_they_changed():
    left = SomeTaskLeftQueues("t", (Placed("q1", "t", 0), Placed("q2", "t", 5)))
    assert touched(left) == {"q1", "q2"}
    assert touched(QueueUpdated("q1", at=1, name="new")) == set()


def test_refreshes_are_derived_every_refresh_period_between_changes():
    step = read.REFRESH_S * 1000
    real = [(0, 2, 1.0), (2 * step + 5, 0, 0.0)]
    out = read.with_refreshes(real, None, 0, 4 * step)
    assert out == [
        (0, 2, 1.0),
        (step, 2, 1.0 + read.REFRESH_S),
        (2 * step, 2, 1.0 + 2 * read.REFRESH_S),
        (2 * step + 5, 0, 0.0),
        (3 * step + 5, 0, 0.0),
    ]


def test_a_sample_before_the_range_anchors_refreshes_inside_it():
    step = read.REFRESH_S * 1000
    out = read.with_refreshes([], (0, 1, 0.0), 10 * step + 1, 12 * step)
    assert out == [(11 * step, 1, 11 * read.REFRESH_S), (12 * step, 1, 12 * read.REFRESH_S)]


def test_an_interval_keeps_its_longest_wait_and_omits_empty_intervals():
    buckets = read.by_interval([(1_000, 3, 5.0), (2_000, 1, 9.0), (21_000, 2, 1.0)], 5)
    assert buckets == {0: (9.0, 1), 20_000: (1.0, 2)}
    assert read.per_queue("q", buckets)["dates"] == [0, 20_000]


def test_total_weights_by_length_and_carries_missing_queues_forward():
    result = read.total({"a": {0: (10.0, 1), 5_000: (20.0, 1)}, "b": {0: (40.0, 3)}})
    assert result["dates"] == [0, 5_000]
    assert result["queue_lengths"] == [4, 4]
    assert result["avg_waiting_times"] == [32.5, 35.0]
