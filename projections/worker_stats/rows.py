"""The ts.worker-status projection: machine_stats aggregated at write time into per-interval rows.

Each report is one sample per (metric, variant), as ClearML indexes them: the metric is the
machine_stats field, its category the part before the first "_", the variant "total" for a
single value or the device index for per-device stats; a falsy stat is left out, as ClearML
does. Samples fold into buckets of every width in LEVELS (count, sum, min and max per metric
and variant), so a read at any interval that is a multiple of a width merges whole buckets.

Stateful: a bucket is loaded before it is first folded, and remembers the last record it took
(`applied`); a record redelivered after a crash is at or below that and is not counted twice.
A worker's records are on one partition, in order, so every row has one writer.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from commands.workers.status import WorkerStatusReported
from projections.mutations import Positioned, Read, Upsert, Write

LEVELS = (1, 60, 3600)  # bucket widths, seconds
PERIOD_BUCKETS = 1000  # buckets per Cassandra partition, any level
PER_DEVICE = frozenset(
    ("cpu_usage", "cpu_temperature", "gpu_usage", "gpu_temperature", "gpu_memory_free",
     "gpu_memory_used")
)  # fmt: skip
MAX_BUCKETS = 20_000  # cached buckets; the least recently used are reloaded when touched again

BucketKey = tuple[str, str, int, int]  # (company, worker, level, bucket)
Sample = tuple[str, str, str, float]  # (category, metric, variant, value)


@dataclass
class Bucket:
    stats: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # [n, sum, min, max]
    active: bool = False
    applied: int = -1

    def add(self, metric: str, variant: str, value: float) -> None:
        agg = self.stats.setdefault(metric, {}).get(variant)
        if agg is None:
            self.stats[metric][variant] = [1, value, value, value]
        else:
            agg[0] += 1
            agg[1] += value
            agg[2] = min(agg[2], value)
            agg[3] = max(agg[3], value)


def samples(stats: dict[str, tuple[float, ...]] | None) -> list[Sample]:
    out: list[Sample] = []
    for metric, values in (stats or {}).items():
        category = metric.partition("_")[0]
        if metric in PER_DEVICE or len(values) > 1:
            out.extend((category, metric, str(i), v) for i, v in enumerate(values))
        elif values and values[0]:
            out.append((category, metric, "total", values[0]))
    return out


def period_of(bucket: int) -> int:
    return bucket // PERIOD_BUCKETS


def bucket_keys(company: str, msg: WorkerStatusReported) -> list[BucketKey]:
    second = msg.timestamp // 1000
    return [(company, msg.worker, level, second // level) for level in LEVELS]


class WorkerStatsProjection:
    name = "worker_stats"
    topic = "worker-status"
    tables = ("worker_stats", "worker_activity", "worker_stat_keys")
    # ts.worker-status keeps 30 days: a rebuild has only what the topic still holds
    unverified = tables

    def __init__(self) -> None:
        self.buckets: OrderedDict[BucketKey, Bucket] = OrderedDict()
        self.known_keys: set[tuple[str, str, str, str]] = set()

    def forget(self) -> None:
        self.buckets.clear()

    def reads(self, batch: Sequence[Positioned]) -> list[Read]:
        wanted = set()
        for item in batch:
            if samples(item.message.machine_stats):
                wanted.update(bucket_keys(item.envelope.company, item.message))
        for key in wanted & self.buckets.keys():
            self.buckets.move_to_end(key)  # so that ready() does not evict what this batch needs
        return [bucket_read(key) for key in sorted(wanted - self.buckets.keys())]

    def loaded(self, key: BucketKey, rows: list[dict[str, Any]]) -> None:
        row = rows[0] if rows else None
        bucket = Bucket()
        if row is not None:
            bucket = Bucket(orjson.loads(row["stats"] or "{}"), bool(row["active"]), row["applied"])
        self.buckets[key] = bucket

    def ready(self) -> None:
        while len(self.buckets) > MAX_BUCKETS:
            self.buckets.popitem(last=False)

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        dirty: dict[BucketKey, Bucket] = {}
        writes: list[Write] = []
        for item in batch:
            msg: WorkerStatusReported = item.message
            found = samples(msg.machine_stats)
            if found:
                dirty.update(self._fold(item, found))
                writes.extend(self._new_keys(item, found))
        for key, bucket in dirty.items():
            writes.extend(_bucket_writes(key, bucket))
        return writes

    def _fold(self, item: Positioned, found: list[Sample]) -> dict[BucketKey, Bucket]:
        touched = {}
        for key in bucket_keys(item.envelope.company, item.message):
            bucket = self.buckets[key]
            self.buckets.move_to_end(key)
            if item.offset <= bucket.applied:
                continue  # redelivered: already in this bucket
            for _category, metric, variant, value in found:
                bucket.add(metric, variant, value)
            bucket.active = bucket.active or bool(item.message.task)
            bucket.applied = item.offset
            touched[key] = bucket
        return touched

    def _new_keys(self, item: Positioned, found: list[Sample]) -> list[Write]:
        company, worker = item.envelope.company, item.message.worker
        writes = []
        for category, metric, _variant, _value in found:
            known = (company, worker, category, metric)
            if known not in self.known_keys:
                self.known_keys.add(known)
                row = dict(zip(("company", "worker", "category", "metric"), known, strict=True))
                writes.append(Write(Upsert("worker_stat_keys", row), item.offset + 1))
        return writes


def bucket_read(key: BucketKey) -> Read:
    company, worker, level, bucket = key
    cql = (
        "SELECT stats, active, applied FROM worker_stats WHERE company = ? AND worker = ? "
        "AND level = ? AND period = ? AND bucket = ?"
    )
    return Read(key, cql, (company, worker, level, period_of(bucket), bucket))


def _bucket_writes(key: BucketKey, bucket: Bucket) -> list[Write]:
    company, worker, level, index = key
    at = bucket.applied + 1
    where = {"company": company, "level": level, "period": period_of(index), "bucket": index}
    stats = {"stats": orjson.dumps(bucket.stats).decode(), "applied": bucket.applied}
    row = {**where, "worker": worker, "active": bucket.active}
    return [
        Write(Upsert("worker_stats", {**row, **stats}), at),
        Write(Upsert("worker_activity", row), at),
    ]
