"""The metrics projection's pure folds: a report's points per series into the task state, its
other events into rows, and the rows a task's state owes after a batch (`flush`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from commands.telemetry.metrics import LOG, TaskEventsReported
from projections.logs import rows as task_logs
from projections.metrics import state as ms
from projections.mutations import Positioned, Upsert, Write
from projections.scalars.blocks import LevelBlock
from projections.scalars.series import blocks_for
from projections.tasks import telemetry

MONITOR_PREFIX = ":monitor:"


Points = tuple[Sequence[int], Sequence[float], Sequence[int]]  # iterations, values, timestamps


def points_by_series(
    batch: Sequence[Positioned],
) -> dict[tuple[str, str, ms.SeriesKey], list[int]]:
    out: dict[tuple[str, str, ms.SeriesKey], list[int]] = {}
    for item in batch:
        msg = item.message
        if isinstance(msg, TaskEventsReported) and msg.scalar_iters:
            for series, (iters, _v, _t) in by_series(msg).items():
                out.setdefault((item.envelope.company, msg.task, series), []).extend(iters)
    return out


def by_series(msg: TaskEventsReported) -> dict[ms.SeriesKey, Points]:
    """A report's scalar points per series. A report that cycles through its series in order,
    point by point (what the SDK sends for each iteration), is cut by slicing."""
    names = list(zip(msg.series_metrics, msg.series_variants, strict=True))
    count, n = len(names), len(msg.scalar_series)
    columns = (msg.scalar_iters, msg.scalar_values, msg.scalar_timestamps)
    if count and n % count == 0 and tuple(msg.scalar_series) == tuple(range(count)) * (n // count):
        return {name: tuple(c[j::count] for c in columns) for j, name in enumerate(names)}  # type: ignore[misc]
    grouped: dict[int, tuple[list[int], list[float], list[int]]] = {}
    for s, i, v, t in zip(msg.scalar_series, *columns, strict=True):
        group = grouped.get(s) or grouped.setdefault(s, ([], [], []))
        group[0].append(i)
        group[1].append(v)
        group[2].append(t)
    return {names[index]: points for index, points in grouped.items()}


def fold(key: ms.TaskKey, state: ms.TaskState, item: Positioned) -> list[Write]:
    msg: TaskEventsReported = item.message
    company, task = key
    at = item.offset + 1
    state.dirty = True
    state.last_update = max(state.last_update or 0, item.envelope.occurred_at)
    for series, (iters, values, stamps) in by_series(msg).items():
        # after a clear in the same batch the state is fresh: its blocks are provably empty,
        # and missing_blocks() puts them in place; anything else reads() loaded already
        if state.missing_blocks(series, blocks_for(iters)):
            raise RuntimeError(f"blocks of {series} were not loaded before the fold")
        state.series_of(series).fold(list(iters), list(values), list(stamps))
        state.dirty_series.add(series)
        low, high = min(iters), max(iters)
        old = state.extents.get(series, (low, high))
        state.extents[series] = (min(old[0], low), max(old[1], high))
        _saw(state, series[0], "training_stats_scalar", max(stamps), high)
    writes = []
    for n, event in enumerate(msg.events):
        _saw(state, event.metric, event.type, event.timestamp, event.iter)
        # the line's place: its record's offset, then its place in the record (< 2**16 lines)
        writes.append(Write(_event_row(company, task, event, item.offset * 65536 + n), at))
    stamps = [e.timestamp for e in msg.events if e.type == LOG]
    if stamps:
        state.dirty_log_buckets |= task_logs.count(state.log_buckets, item.offset, stamps)
    return writes


def _saw(state: ms.TaskState, metric: str, kind: str, stamp: int, iteration: int | None) -> None:
    if iteration is not None and not metric.startswith(MONITOR_PREFIX):
        state.last_iteration = max(state.last_iteration or 0, iteration)
    if metric:
        entry = state.metric_stats.setdefault(
            ms.hashed(metric), {"metric": metric, "event_stats_by_type": {}}
        )
        by_type = entry["event_stats_by_type"]
        last = by_type.get(kind, {}).get("last_update", 0)
        by_type[kind] = {"event_type": kind, "last_update": max(last, stamp)}


def _event_row(company: str, task: str, event: Any, seq: int) -> Upsert:
    doc = {k: v for k, v in _doc(task, event).items() if v is not None}
    if event.type == LOG:
        return task_logs.line_row(company, task, event, doc, seq)
    values = {
        "company": company,
        "task": task,
        "type": event.type,
        "metric": event.metric,
        "variant": event.variant,
        "iter": event.iter or 0,
        "id": event.id,
        "timestamp": event.timestamp,
        "doc": orjson.dumps(doc),
        "plot_data": event.plot_data,
    }
    return Upsert("task_events", values)


def _doc(task: str, event: Any) -> dict[str, Any]:
    """The event as ClearML returns it (the read side adds nothing but decompression)."""
    doc: dict[str, Any] = orjson.loads(event.extra) if event.extra else {}
    doc.update(
        type=event.type, task=task, timestamp=event.timestamp, iter=event.iter,
        metric=event.metric, variant=event.variant, worker=event.worker, level=event.level,
        msg=event.msg, url=event.url, key=event.key, plot_str=event.plot_str,
    )  # fmt: skip
    if event.type == "training_stats_vector":
        doc["value"] = list(event.values)
    if event.type == "plot":
        doc["plot_len"] = event.plot_len
    return doc


def flush(key: ms.TaskKey, state: ms.TaskState, at: int) -> list[Write]:
    company, task = key
    writes = []
    for series_key in state.dirty_series:
        series = state.series[series_key]
        base = {"company": company, "task": task, "metric": series_key[0], "variant": series_key[1]}
        for level, block in series.dirty:
            data = series.encoded((level, block))
            writes.append(
                Write(
                    Upsert("scalar_blocks", {**base, "level": level, "block": block, "data": data}),
                    at,
                )
            )
        series.dirty.clear()
        series.trim()
        stats = series.stats()
        if stats is not None:
            state.stats[series_key] = stats
        low, high = state.extents[series_key]
        row = {
            **base,
            "stats": LevelBlock([stats]).encode() if stats else None,
            "tops": LevelBlock([series.tops[b] for b in sorted(series.tops)]).encode(),
            "min_iter": low,
            "max_iter": high,
        }
        writes.append(Write(Upsert("scalar_series", row), at))
    state.dirty_series.clear()
    writes.extend(task_logs.bucket_rows(company, task, state.log_buckets, state.dirty_log_buckets))
    state.dirty_log_buckets.clear()
    if state.dirty:
        writes.append(Write(telemetry.row(company, task, state), at))
        state.dirty = False
    return writes
