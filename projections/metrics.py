"""The ts.metrics projection: scalar blocks, other events, logs and the task telemetry row.

Stateful: `reads(batch)` names what must be loaded (task rows, blocks a batch touches that
are not cached), `loaded(key, rows)` takes it in, then `project(batch)` folds purely and
returns writes. Every write is at the write time of the last record it reflects (offset + 1);
a clear deletes the task's partitions at its own position, so it removes exactly what came
before it. All of a task's records are on one partition, so each row has a single writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from commands.metrics import LOG, TaskEventsReported, TaskTelemetryCleared
from projections import metrics_state as ms
from projections import task_telemetry
from projections.mutations import Delete, Positioned, Read, Upsert, Write
from projections.scalar_blocks import LevelBlock
from projections.scalar_series import blocks_for

TASK_TABLES = ("scalar_blocks", "scalar_series", "task_events", "task_logs", "task_telemetry")
MONITOR_PREFIX = ":monitor:"


class MetricsProjection:
    name = "metrics"
    topic = "metrics"
    tables = (*TASK_TABLES, "telemetry_clears")

    def __init__(self) -> None:
        self.cache = ms.TaskCache()
        self.pending: dict[ms.TaskKey, ms.TaskState] = {}

    # -- loading ---------------------------------------------------------------------------

    def reads(self, batch: Sequence[Positioned]) -> list[Read]:
        out: list[Read] = []
        for key, points in _points_by_series(batch).items():
            company, task, series = key
            state = self._state((company, task), out)
            if state is not None:
                for block in state.missing_blocks(series, blocks_for(points)):
                    out.append(ms.block_read(company, task, series, block))
        for item in batch:
            self._state((item.envelope.company, item.message.task), out)
        return out

    def _state(self, key: ms.TaskKey, out: list[Read]) -> ms.TaskState | None:
        state = self.cache.get(key) or self.pending.get(key)
        if state is None:
            self.pending[key] = ms.TaskState()
            out.extend(ms.task_reads(*key))
            return None
        return state

    def loaded(self, key: Any, rows: list[dict[str, Any]]) -> None:
        if key[0] == "block":
            _kind, company, task, series, block = key
            state = self.cache.get((company, task))
            assert state is not None
            state.series_of(series).load(block, rows[0]["data"] if rows else None)
            return
        kind, task_key = key
        ms.load_rows(self.pending[task_key], kind, rows)

    def ready(self) -> None:
        """All task reads are in: the pending states join the cache."""
        for key, state in self.pending.items():
            self.cache.put(key, state)
        self.pending.clear()

    # -- folding ---------------------------------------------------------------------------

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        writes: list[Write] = []
        touched: dict[ms.TaskKey, int] = {}
        for item in batch:
            key = (item.envelope.company, item.message.task)
            state = self.cache.get(key)
            assert state is not None, "reads() and loaded() come before project()"
            if isinstance(item.message, TaskTelemetryCleared):
                writes.extend(self._clear(key, state, item))
                touched.pop(key, None)
            else:
                writes.extend(_fold(key, state, item))
                touched[key] = item.offset
        for key, offset in touched.items():
            writes.extend(_flush(key, self.cache.get(key), offset + 1))  # type: ignore[arg-type]
        return writes

    def _clear(self, key: ms.TaskKey, state: ms.TaskState, item: Positioned) -> list[Write]:
        clear: TaskTelemetryCleared = item.message
        source = clear.source_offset
        if source is not None and source <= state.cleared:
            return []  # the relay repeated itself after a crash
        at = item.offset + 1
        fresh = ms.TaskState(cleared=state.cleared if source is None else source)
        self.cache.put(key, fresh)
        company, task = key
        writes = [Write(Delete(t, {"company": company, "task": task}), at) for t in TASK_TABLES]
        if source is not None:
            row = {"company": company, "task": task, "source_offset": source}
            writes.append(Write(Upsert("telemetry_clears", row), at))
        return writes


def _points_by_series(
    batch: Sequence[Positioned],
) -> dict[tuple[str, str, ms.SeriesKey], list[int]]:
    out: dict[tuple[str, str, ms.SeriesKey], list[int]] = {}
    for item in batch:
        msg = item.message
        if not isinstance(msg, TaskEventsReported) or not msg.scalar_iters:
            continue
        names = list(zip(msg.series_metrics, msg.series_variants, strict=True))
        for index, iteration in zip(msg.scalar_series, msg.scalar_iters, strict=True):
            out.setdefault((item.envelope.company, msg.task, names[index]), []).append(iteration)
    return out


def _fold(key: ms.TaskKey, state: ms.TaskState, item: Positioned) -> list[Write]:
    msg: TaskEventsReported = item.message
    company, task = key
    at = item.offset + 1
    state.dirty = True
    state.last_update = max(state.last_update or 0, item.envelope.occurred_at)
    names = list(zip(msg.series_metrics, msg.series_variants, strict=True))
    grouped: dict[int, tuple[list[int], list[float], list[int]]] = {}
    for s, i, v, t in zip(
        msg.scalar_series, msg.scalar_iters, msg.scalar_values, msg.scalar_timestamps, strict=True
    ):
        group = grouped.get(s) or grouped.setdefault(s, ([], [], []))
        group[0].append(i)
        group[1].append(v)
        group[2].append(t)
    for index, (iters, values, stamps) in grouped.items():
        series = names[index]
        # after a clear in the same batch the state is fresh: its blocks are provably empty
        assert not state.missing_blocks(series, blocks_for(iters)), "blocks are loaded first"
        state.series_of(series).fold(iters, values, stamps)
        state.dirty_series.add(series)
        low, high = min(iters), max(iters)
        old = state.extents.get(series, (low, high))
        state.extents[series] = (min(old[0], low), max(old[1], high))
        _saw(state, series[0], "training_stats_scalar", max(stamps), high)
    writes = []
    for event in msg.events:
        _saw(state, event.metric, event.type, event.timestamp, event.iter)
        writes.append(Write(_event_row(company, task, event), at))
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


def _event_row(company: str, task: str, event: Any) -> Upsert:
    doc = {k: v for k, v in _doc(task, event).items() if v is not None}
    if event.type == LOG:
        row = {"company": company, "task": task, "timestamp": event.timestamp, "id": event.id}
        return Upsert("task_logs", {**row, "doc": orjson.dumps(doc)})
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


def _flush(key: ms.TaskKey, state: ms.TaskState, at: int) -> list[Write]:
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
    if state.dirty:
        writes.append(Write(task_telemetry.row(company, task, state), at))
        state.dirty = False
    return writes
