"""The metrics projection's last_metrics and scalar blocks: exact under duplicates, reordering,
replay after a restart, and the same whichever fold path (consecutive run or scattered) runs."""

from __future__ import annotations

import json
import random

from commands.base import Envelope
from commands.telemetry.ingest import ingest
from commands.telemetry.metrics import TaskEventsReported
from projections.metrics.fold import by_series
from projections.metrics.projection import MetricsProjection
from projections.mutations import Delete, Positioned

COMPANY, TASK = "c1", "t1"
Point = tuple[str, int, float, int]  # (variant, iteration, value, timestamp)


class FakeStore:
    """Rows by table and primary key, answering the reads the metrics projection asks for."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple, dict]] = {}

    def apply(self, writes: list) -> None:
        for w in writes:
            m = w.mutation
            if isinstance(m, Delete):
                self.rows[m.table] = {}
                continue
            key = tuple(v for k, v in m.values.items() if k in KEYS[m.table])
            self.rows.setdefault(m.table, {})[key] = dict(m.values)

    def answer(self, key: tuple) -> list[dict]:
        if key[0] == "block":
            _kind, company, task, (metric, variant), (level, block) = key
            row = self.rows.get("scalar_blocks", {}).get(
                (company, task, metric, variant, level, block)
            )
            return [row] if row else []
        table = {"telemetry": "task_telemetry", "series": "scalar_series"}.get(key[0])
        return list(self.rows.get(table, {}).values()) if table else []


KEYS = {
    "scalar_blocks": ("company", "task", "metric", "variant", "level", "block"),
    "scalar_series": ("company", "task", "metric", "variant"),
    "task_telemetry": ("company", "task"),
    "task_events": ("company", "task", "type", "metric", "variant", "iter", "id"),
    "task_log_lines": ("company", "task", "bucket", "timestamp", "seq"),
    "task_log_buckets": ("company", "task", "bucket"),
}


def project(store: FakeStore, projection: MetricsProjection, batch: list[Positioned]) -> None:
    while reads := projection.reads(batch):
        for read in reads:
            projection.loaded(read.key, store.answer(read.key))
        projection.ready()
    store.apply(projection.project(batch))


def record(points: list[tuple[str, int, float, int]], offset: int) -> Positioned:
    events = [
        {"type": "training_stats_scalar", "task": TASK, "metric": "loss", "variant": variant,
         "iter": i, "value": v, "timestamp": t}
        for variant, i, v, t in points
    ]  # fmt: skip
    (msg,) = ingest(events, {TASK}, None, 0, str).records
    env = Envelope("e", "TaskEventsReported", COMPANY, "u", "task", TASK, 1000 + offset)
    return Positioned(0, offset, env, msg)


def points(rng: random.Random, n: int) -> list[tuple[str, int, float, int]]:
    out = []
    for i in range(n):
        for variant in ("train", "val"):
            out.append((variant, i, round(rng.uniform(-5, 5), 3), 10_000 + i))
    return out


def last_metrics(store: FakeStore) -> dict:
    (row,) = store.rows["task_telemetry"].values()
    return {v["variant"]: v for m in json.loads(row["last_metrics"]).values() for v in m.values()}


def fold_in_chunks(
    chunks: list[list[tuple[str, int, float, int]]], restart_every: int
) -> FakeStore:
    store, projection = FakeStore(), MetricsProjection()
    for n, chunk in enumerate(chunks):
        if n and n % restart_every == 0:
            projection = MetricsProjection()  # a restarted projector: state comes from the store
        project(store, projection, [record(chunk, n)])
    return store


def test_in_order_shuffled_duplicated_and_restarted_folds_agree():
    rng = random.Random(3)
    pts = points(rng, 700)
    ordered = fold_in_chunks([pts[k : k + 100] for k in range(0, len(pts), 100)], 1000)
    noisy = pts + rng.sample(pts, 400)  # re-sent points
    rng.shuffle(noisy)
    shuffled = fold_in_chunks([noisy[k : k + 77] for k in range(0, len(noisy), 77)], 3)
    assert last_metrics(ordered) == last_metrics(shuffled)
    assert ordered.rows["scalar_blocks"] == shuffled.rows["scalar_blocks"]
    train = [(i, v) for variant, i, v, _t in pts if variant == "train"]
    summary = last_metrics(ordered)["train"]
    low = min(train, key=lambda p: (p[1], p[0]))
    high = max(train, key=lambda p: (p[1], -p[0]))
    assert summary["value"] == train[-1][1]
    assert (summary["min_value"], summary["min_value_iteration"]) == (low[1], low[0])
    assert (summary["max_value"], summary["max_value_iteration"]) == (high[1], high[0])
    assert (summary["first_value"], summary["first_value_iteration"]) == (train[0][1], 0)
    assert summary["count"] == 700
    assert summary["mean_value"] == round(sum(v for _i, v in train) / 700, 2)


def test_a_replayed_record_changes_nothing():
    pts = points(random.Random(5), 120)
    store = fold_in_chunks([pts], 1)
    before = (last_metrics(store), dict(store.rows["scalar_blocks"]))
    project(store, MetricsProjection(), [record(pts, 0)])  # redelivered after a crash
    assert (last_metrics(store), store.rows["scalar_blocks"]) == before


def test_the_last_value_is_the_last_iteration_then_the_latest_timestamp():
    late, early = ("train", 9, 2.0, 500), ("train", 9, 1.0, 400)
    for order in ([late, early], [early, late]):
        store = fold_in_chunks([[("train", 3, 7.0, 900)], [order[0]], [order[1]]], 1)
        assert last_metrics(store)["train"]["value"] == 2.0


def test_series_are_split_alike_by_slicing_and_by_walking():
    cycling = record(points(random.Random(1), 30), 0).message
    assert isinstance(cycling, TaskEventsReported)
    scattered = TaskEventsReported(
        task=TASK, received=0, series_metrics=cycling.series_metrics,
        series_variants=cycling.series_variants,
        scalar_series=tuple(reversed(cycling.scalar_series)),
        scalar_iters=tuple(reversed(cycling.scalar_iters)),
        scalar_values=tuple(reversed(cycling.scalar_values)),
        scalar_timestamps=tuple(reversed(cycling.scalar_timestamps)),
    )  # fmt: skip
    fast = {k: tuple(map(tuple, v)) for k, v in by_series(cycling).items()}
    slow = {k: tuple(tuple(reversed(c)) for c in v) for k, v in by_series(scattered).items()}
    assert fast == slow
