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

from commands.telemetry.metrics import TaskTelemetryCleared
from projections.logs import rows as task_logs
from projections.metrics import fold as mf
from projections.metrics import state as ms
from projections.mutations import Delete, Positioned, Read, Upsert, Write
from projections.scalars.series import blocks_for

TASK_TABLES = ("scalar_blocks", "scalar_series", "task_events", "task_telemetry")


class MetricsProjection:
    name = "metrics"
    topic = "metrics"
    # the partition key of every table it writes: the runtime sends one unlogged batch per
    # partition, one mutation on the server instead of one statement per row
    partitions = {
        **dict.fromkeys((*TASK_TABLES, "telemetry_clears", task_logs.BUCKETS), ("company", "task")),
        task_logs.LINES: ("company", "task", "bucket"),
    }
    tables = (*TASK_TABLES, "telemetry_clears", task_logs.BUCKETS, task_logs.LINES)

    def __init__(self) -> None:
        self.cache = ms.TaskCache()
        self.pending: dict[ms.TaskKey, ms.TaskState] = {}

    def forget(self) -> None:
        self.cache = ms.TaskCache()
        self.pending.clear()

    # -- loading ---------------------------------------------------------------------------

    def reads(self, batch: Sequence[Positioned]) -> list[Read]:
        out: list[Read] = []
        for key, points in mf.points_by_series(batch).items():
            company, task, series = key
            state = self._state((company, task), out)
            if state is not None:
                for block in state.missing_blocks(series, blocks_for(points)):
                    out.append(ms.block_read(company, task, series, block))
        for item in batch:
            self._state((item.envelope.company, item.message.task), out)
        return out

    def _state(self, key: ms.TaskKey, out: list[Read]) -> ms.TaskState | None:
        """The task's state once loaded; None (and the reads it needs) until then. A state
        still loading must not be used: its extents are unknown, so every block would look
        provably empty and the series' stored points would be overwritten."""
        state = self.cache.get(key)
        if state is None and key not in self.pending:
            self.pending[key] = ms.TaskState()
            out.extend(ms.task_reads(*key))
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
                writes.extend(mf.fold(key, state, item))
                touched[key] = item.offset
        for key, offset in touched.items():
            writes.extend(mf.flush(key, self.cache.get(key), offset + 1))  # type: ignore[arg-type]
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
        writes.extend(task_logs.clear(company, task, state.log_buckets, at))
        if source is not None:
            row = {"company": company, "task": task, "source_offset": source}
            writes.append(Write(Upsert("telemetry_clears", row), at))
        return writes
