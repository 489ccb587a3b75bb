"""What the metrics projector remembers per task, and the reads that bring it back after a
restart (the projector's state is a cache of the tables it writes, never a second truth)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson

from projections.logs import rows as task_logs
from projections.mutations import Read
from projections.scalars.blocks import Agg, LevelBlock
from projections.scalars.series import Key, Series

SeriesKey = tuple[str, str]  # (metric, variant)
TaskKey = tuple[str, str]  # (company, task)
MAX_TASKS = 5000  # tasks kept in memory; the least recently used are reloaded when they return


@dataclass
class TaskState:
    series: dict[SeriesKey, Series] = field(default_factory=dict)
    stats: dict[SeriesKey, Agg] = field(default_factory=dict)
    extents: dict[SeriesKey, tuple[int, int]] = field(default_factory=dict)
    last_iteration: int | None = None
    last_update: int | None = None
    metric_stats: dict[str, Any] = field(default_factory=dict)
    cleared: int = -1  # the ts.events offset of the last relayed clear applied
    log_buckets: dict[int, list[int]] = field(default_factory=dict)  # bucket -> [lines, applied]
    dirty_log_buckets: set[int] = field(default_factory=set)
    dirty_series: set[SeriesKey] = field(default_factory=set)
    dirty: bool = False

    def series_of(self, key: SeriesKey) -> Series:
        found = self.series.get(key)
        if found is None:
            found = self.series[key] = Series()
        return found

    def missing_blocks(self, key: SeriesKey, blocks: set[Key]) -> set[Key]:
        """Blocks to read before folding: cached or provably empty blocks need no read."""
        series = self.series_of(key)
        missing = series.missing(blocks)
        extent = self.extents.get(key)
        for level_block in list(missing):
            if extent is None or not _may_hold(level_block, extent):
                series.load(level_block, None)
                missing.discard(level_block)
        return missing


def _may_hold(key: Key, extent: tuple[int, int]) -> bool:
    from projections.scalars.blocks import LEVEL_BLOCK, RAW_BLOCK, width

    level, block = key
    span = RAW_BLOCK if level == 0 else LEVEL_BLOCK * width(level)
    return block * span <= extent[1] and (block + 1) * span > extent[0]


class TaskCache:
    """Loaded task states, least recently used first."""

    def __init__(self) -> None:
        self.tasks: OrderedDict[TaskKey, TaskState] = OrderedDict()

    def get(self, key: TaskKey) -> TaskState | None:
        state = self.tasks.get(key)
        if state is not None:
            self.tasks.move_to_end(key)
        return state

    def put(self, key: TaskKey, state: TaskState) -> None:
        self.tasks[key] = state
        self.tasks.move_to_end(key)
        while len(self.tasks) > MAX_TASKS:
            self.tasks.popitem(last=False)


def task_reads(company: str, task: str) -> list[Read]:
    params = (company, task)
    return [
        task_logs.reads(company, task),
        Read(
            ("telemetry", params),
            "SELECT * FROM task_telemetry WHERE company = ? AND task = ?",
            params,
        ),
        Read(
            ("series", params),
            "SELECT metric, variant, stats, tops, min_iter, max_iter FROM scalar_series "
            "WHERE company = ? AND task = ?",
            params,
        ),
        Read(
            ("clears", params),
            "SELECT source_offset FROM telemetry_clears WHERE company = ? AND task = ?",
            params,
        ),
    ]


def block_read(company: str, task: str, series: SeriesKey, key: Key) -> Read:
    cql = (
        "SELECT data FROM scalar_blocks WHERE company = ? AND task = ? AND metric = ? "
        "AND variant = ? AND level = ? AND block = ?"
    )
    return Read(("block", company, task, series, key), cql, (company, task, *series, *key))


def load_rows(state: TaskState, kind: str, rows: list[dict[str, Any]]) -> None:
    """Fold the rows of one of task_reads() into a task state."""
    if kind == "telemetry" and rows:
        row = rows[0]
        state.last_iteration = row.get("last_iteration")
        state.last_update = _millis(row.get("last_update"))
        state.metric_stats = _stats_state(row.get("metric_stats"))
    elif kind == "series":
        for row in rows:
            key = (row["metric"], row["variant"])
            if row.get("stats"):
                state.stats[key] = LevelBlock.decode(row["stats"]).buckets[0]
            series = state.series_of(key)
            if row.get("tops"):
                series.tops = {b[0]: b for b in LevelBlock.decode(row["tops"]).buckets}
            if row.get("min_iter") is not None:
                state.extents[key] = (row["min_iter"], row["max_iter"])
    elif kind == "clears" and rows:
        state.cleared = rows[0]["source_offset"]
    elif kind == "logs":
        state.log_buckets = task_logs.loaded(rows)


def _stats_state(text: str | None) -> dict[str, Any]:
    """metric_stats as stored (ISO times) back into the projector's form (epoch ms)."""
    from datetime import datetime

    stats: dict[str, Any] = orjson.loads(text) if text else {}
    for entry in stats.values():
        for kind in entry["event_stats_by_type"].values():
            stamp = datetime.fromisoformat(kind["last_update"])
            kind["last_update"] = int(stamp.timestamp() * 1000)
    return stats


def _millis(value: Any) -> int | None:
    from projections.timefmt import millis

    return millis(value)


def hashed(name: str) -> str:
    """ClearML keys last_metrics and metric_stats by the md5 of the metric/variant name."""
    return hashlib.md5(name.encode()).hexdigest()
