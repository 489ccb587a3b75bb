"""events.add / add_batch validation: per-event errors, defaults, ids, grouping per task."""

from __future__ import annotations

import itertools
import zlib

from commands.telemetry import ingest as ing
from commands.telemetry.metrics import TaskEventsReported

NOW = 1_700_000_000_000


def run(events: list[dict], valid: set[str] | None = None) -> ing.Ingested:
    counter = itertools.count()
    return ing.ingest(events, valid or {"t1", "t2"}, "w-header", NOW, lambda: f"id{next(counter)}")


def scalar(**fields) -> dict:
    return {
        "type": "training_stats_scalar",
        "task": "t1",
        "metric": "m",
        "variant": "v",
        "iter": 1,
        "value": 1.0,
        **fields,
    }


def test_each_bad_event_is_counted_under_its_reason_and_the_rest_go_through():
    result = run(
        [
            scalar(),
            {"task": "t1"},
            {"type": "nonsense", "task": "t1"},
            {"type": "log"},
            scalar(task="unknown"),
            scalar(value="1.5"),
            scalar(value=True),
            scalar(iter=2**63),
            scalar(iter="x"),
            scalar(timestamp=float("nan")),
            {"type": "training_stats_vector", "task": "t1", "values": [1, "a"]},
        ]
    )
    assert result.added == 1
    assert result.errors == {
        ing.NO_TYPE: 1,
        "Invalid event type nonsense": 1,
        ing.NO_TASK: 1,
        ing.BAD_TASK: 1,
        "Scalar value must be a number": 2,
        ing.BAD_ITER: 1,
        "Iteration must be an integer": 1,
        "Timestamp must be a number of milliseconds": 1,
        "Vector values must be a list of numbers": 1,
    }


def test_scalars_are_grouped_per_task_as_arrays_with_defaults():
    events = [scalar(iter=i, value=i, variant=v) for i in range(3) for v in ("a", "b")]
    events += [scalar(task="t2", value=None, values=7, timestamp=5, iter="4")]
    records = {r.task: r for r in run(events).records}
    one: TaskEventsReported = records["t1"]
    assert list(zip(one.series_metrics, one.series_variants, strict=True)) == [
        ("m", "a"),
        ("m", "b"),
    ]
    assert one.scalar_series == (0, 1, 0, 1, 0, 1)
    assert one.scalar_iters == (0, 0, 1, 1, 2, 2)
    assert one.scalar_values == (0.0, 0.0, 1.0, 1.0, 2.0, 2.0)
    assert set(one.scalar_timestamps) == {NOW}  # no timestamp: now
    two = records["t2"]
    assert (two.scalar_iters, two.scalar_values, two.scalar_timestamps) == ((4,), (7.0,), (5,))


def test_non_log_events_have_clearml_ids_and_logs_fresh_ones():
    plot = {
        "type": "plot",
        "task": "t1",
        "iter": 3,
        "metric": "p",
        "variant": "v",
        "plot_str": "{}",
        "extra_field": 1,
    }
    logs = [{"type": "log", "task": "t1", "msg": "hi"}] * 2
    (record,) = run([plot, plot, *logs]).records
    first, again, log1, log2 = record.events
    assert first.id == again.id == ing.event_id("t1", 3, "p", "v", None)
    assert log1.id != log2.id
    assert log1.worker == "w-header"
    assert first.extra == '{"extra_field":1}'


def test_a_large_plot_is_compressed():
    text = '{"data": [' + ",".join(["1"] * 60_000) + "]}"
    (record,) = run([{"type": "plot", "task": "t1", "plot_str": text}]).records
    (event,) = record.events
    assert event.plot_str is None
    assert event.plot_len == len(text)
    assert zlib.decompress(event.plot_data).decode() == text


def test_model_events_are_split_from_the_tasks_events():
    model_point = scalar(task="m1", model_event=True)
    models, rest = ing.split_model_events(
        [scalar(), model_point, "junk", scalar(model_event=False)]
    )
    assert models == [model_point]
    assert rest == [scalar(), "junk", scalar(model_event=False)]


def test_model_events_are_grouped_under_the_model_and_merged_with_the_tasks():
    tasks = run([scalar()])
    models = run([scalar(task="m1", model_event=True), scalar(task="m9", model_event=True)], {"m1"})
    both = tasks.merged(models, {"m1"})
    assert [r.task for r in both.records] == ["t1", "m1"]
    assert (both.added, dict(both.errors), both.models) == (2, {ing.BAD_TASK: 1}, {"m1"})


def test_the_model_event_flag_is_not_kept_as_an_extra_field():
    event = {"type": "log", "task": "t1", "msg": "hi", "model_event": True}
    (record,) = run([event]).records
    assert record.events[0].extra is None
