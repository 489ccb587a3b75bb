"""The intake's commit and hand-over rules, with a hand-written fake consumer: offsets are
committed coalesced after a batch, a failed commit is left to the next batch, and a rebalance
lets the batch in flight finish and commit before the revoked partitions are forgotten."""

from __future__ import annotations

import asyncio
import time

from aiokafka import TopicPartition

from streams.signals import Signals
from streams.worker.intake import Committer, Intake, Lag, _Handover, chunks

TP0, TP1 = TopicPartition("t", 0), TopicPartition("t", 1)


class FakeReader:
    def __init__(self, failures: int = 0) -> None:
        self.commits: list[dict[TopicPartition, int]] = []
        self.failures = failures

    async def commit(self, offsets) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("rebalance in progress")
        self.commits.append({tp: meta.offset for tp, meta in offsets.items()})


async def test_positions_noted_meanwhile_are_committed_together():
    reader = FakeReader()
    committer = Committer(reader)  # type: ignore[arg-type]
    committer.note({TP0: 5})
    committer.note({TP0: 9, TP1: 3})  # before the background commit ran
    await committer.task
    assert reader.commits == [{TP0: 9, TP1: 3}]


async def test_a_failed_commit_is_left_to_the_next_batch():
    reader = FakeReader(failures=1)
    committer = Committer(reader)  # type: ignore[arg-type]
    committer.note({TP0: 5})
    await committer.task
    assert reader.commits == []
    # only a longer redelivery after a crash: what was handled is applied idempotently
    committer.note({TP0: 8})
    await committer.task
    assert reader.commits == [{TP0: 8}]


async def test_a_rebalance_waits_for_the_batch_in_flight_then_forgets():
    events: list[str] = []
    reader = FakeReader()
    committer = Committer(reader)  # type: ignore[arg-type]
    busy = asyncio.Lock()

    async def handle(_batch: list) -> None:
        return None

    intake = Intake("g", "t", handle, lambda parts: events.append(f"forget {sorted(parts)}"), 1, 1)
    handover = _Handover(intake, busy, committer, Lag("g", Signals()))
    await busy.acquire()  # a batch is being handled
    revoking = asyncio.create_task(handover.on_partitions_revoked({TP0, TP1}))
    await asyncio.sleep(0)
    assert events == []
    committer.pending[TP0] = 7  # the batch noted its positions
    busy.release()
    await revoking
    assert reader.commits == [{TP0: 7}]
    assert events == ["forget [0, 1]"]


class FakeFetcher:
    """What Lag reads of a consumer: its assignment, log ends and positions."""

    def __init__(self, ends: dict[TopicPartition, int | None], positions: dict) -> None:
        self.ends, self.positions = ends, positions

    def assignment(self) -> set[TopicPartition]:
        return set(self.ends)

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.ends[tp]

    async def position(self, tp: TopicPartition) -> int:
        return self.positions[tp]


def lag_of(signals: Signals, group: str, partition: int) -> float | None:
    return signals.registry.get_sample_value(
        "taskstream_intake_lag_records", {"group": group, "partition": str(partition)}
    )


async def test_lag_is_the_log_end_minus_the_next_position_per_partition():
    signals = Signals()
    lag = Lag("projector-metrics", signals)
    await lag.update(FakeFetcher({TP0: 120, TP1: None}, {TP0: 100}))  # type: ignore[arg-type]
    assert lag_of(signals, "projector-metrics", 0) == 20
    assert lag_of(signals, "projector-metrics", 1) is None  # nothing fetched from it yet
    await lag.update(FakeFetcher({TP0: 120}, {TP0: 120}))  # type: ignore[arg-type]
    assert lag_of(signals, "projector-metrics", 0) == 0


async def test_a_revoked_partition_stops_being_reported():
    signals = Signals()
    lag = Lag("decider", signals)
    await lag.update(FakeFetcher({TP0: 5, TP1: 9}, {TP0: 5, TP1: 2}))  # type: ignore[arg-type]
    lag.forget({1, 3})  # 3 was never reported: nothing to remove
    assert lag_of(signals, "decider", 1) is None
    assert lag_of(signals, "decider", 0) == 0


def test_batches_are_counted_per_group():
    signals = Signals()
    Lag("decider", signals).batch(records=7, seconds=0.01)
    count = signals.registry.get_sample_value(
        "taskstream_intake_batch_records_count", {"group": "decider"}
    )
    total = signals.registry.get_sample_value(
        "taskstream_intake_batch_records_sum", {"group": "decider"}
    )
    assert (count, total) == (1, 7)


def test_a_batch_reports_how_old_its_oldest_record_was_when_applied():
    signals = Signals()
    lag = Lag("projector-metrics", signals)
    lag.batch(3, 0.1, int((time.time() - 1.5) * 1000))
    lag.batch(1, 0.1, None)  # no timestamps: nothing to say
    labels = {"group": "projector-metrics"}
    count = signals.registry.get_sample_value("taskstream_intake_visibility_seconds_count", labels)
    total = signals.registry.get_sample_value("taskstream_intake_visibility_seconds_sum", labels)
    assert count == 1
    assert 1.5 <= total < 3.0


class Rec:
    def __init__(self, offset: int, size: int) -> None:
        self.offset, self.value = offset, b"x" * size


def test_a_large_fetch_is_handled_in_parts_each_partition_in_order():
    fetch = {TP0: [Rec(0, 60), Rec(1, 60), Rec(2, 60)], TP1: [Rec(7, 200), Rec(8, 10)]}
    parts = chunks(fetch, 100)  # type: ignore[arg-type]
    offsets = [{tp.partition: [r.offset for r in rs] for tp, rs in p.items()} for p in parts]
    assert offsets == [{0: [0]}, {0: [1]}, {0: [2]}, {1: [7]}, {1: [8]}]  # one oversized alone
    assert chunks(fetch, None) == [fetch]  # type: ignore[arg-type]
    assert len(chunks(fetch, 1000)) == 1  # type: ignore[arg-type]
