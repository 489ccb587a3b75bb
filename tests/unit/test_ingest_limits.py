"""Telemetry within the store limits: a value Cassandra or Avro would refuse is a per-event
error counted in errors_info, never a record (issue 10), and the other events still go in."""

from __future__ import annotations

import itertools

import pytest

from commands.limits import MAX_KEY_CHARS, MAX_TEXT_CHARS
from commands.telemetry import ingest as ing

NOW = 1_700_000_000_000
LONG_KEY = "k" * (MAX_KEY_CHARS + 1)
LONG_TEXT = "t" * (MAX_TEXT_CHARS + 1)


def run(events: list) -> ing.Ingested:
    counter = itertools.count()
    return ing.ingest(events, {"t1"}, "w", NOW, lambda: f"id{next(counter)}")


def scalar(**fields) -> dict:
    return {"type": "training_stats_scalar", "task": "t1", "metric": "m", "variant": "v",
            "iter": 1, "value": 1.0, **fields}  # fmt: skip


def log(**fields) -> dict:
    return {"type": "log", "task": "t1", "msg": "hello", **fields}


@pytest.mark.parametrize(
    "bad",
    [
        scalar(timestamp=2**63),
        scalar(timestamp=-(2**63) - 1),
        scalar(timestamp=float("inf")),
        scalar(timestamp=float("nan")),
        log(timestamp=2**63),
        log(timestamp=float("-inf")),
        scalar(metric=LONG_KEY),
        scalar(variant=LONG_KEY),
        log(metric=LONG_KEY),
        log(worker=LONG_KEY),
        log(msg=LONG_TEXT),
        log(level=LONG_KEY),
        {"type": "training_debug_image", "task": "t1", "url": LONG_TEXT},
        {"type": "training_debug_image", "task": "t1", "key": LONG_KEY},
        {
            "type": "training_stats_vector",
            "task": "t1",
            "values": [1.0] * (MAX_TEXT_CHARS // 8 + 1),
        },
        log(extra_field=LONG_TEXT),
        {"type": "log", "task": {"a": 1}},
        {"type": "log", "task": ["t1"]},
        "not an object",
        7,
        None,
    ],
    ids=lambda bad: repr(bad)[:40],
)
def test_a_value_beyond_the_store_limits_is_a_counted_error(bad):
    result = run([scalar(), bad, log()])
    assert result.added == 2
    assert sum(result.errors.values()) == 1
    assert all(len(r.events) + len(r.scalar_iters) > 0 for r in result.records)


def test_values_at_the_limits_are_taken():
    result = run(
        [
            scalar(timestamp=2**63 - 1, metric="m" * MAX_KEY_CHARS),
            log(msg="x" * MAX_TEXT_CHARS, timestamp=-(2**63)),
        ]
    )
    assert (result.added, sum(result.errors.values())) == (2, 0)


def test_tasks_of_skips_items_that_are_not_objects():
    assert ing.tasks_of([{"task": "t1"}, "x", 3, {"task": 5}]) == {"t1"}
