"""Decider snapshots against the real stores: a restart folds only the tail, an unreadable
snapshot falls back (to an older one, then the log), and the result equals a full fold."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import replace

import pytest

from streams.worker import snapshots
from streams.worker.partition_state import PartitionState, fold_log, load_partition
from streams.worker.runtime import Runtime
from tests.stack import Stack, ok, wait_until

pytestmark = pytest.mark.integration


def partition_of(stack: Stack) -> int:
    """The control partition of the default company, from the history of a fresh queue."""
    queue = ok(stack.apis[0].url, "queues.create", {"name": f"snap-{secrets.token_hex(4)}"})["id"]
    history = wait_until(
        lambda: ok(stack.apis[0].url, "queues.get_history", {"queue": queue})["history"],
        "the history row",
    )
    return history[0]["position"]["partition"]


def test_recovery_from_a_snapshot_equals_a_full_fold(stack: Stack):
    partition = partition_of(stack)
    asyncio.run(_snapshot_then_more(stack, partition))


async def _snapshot_then_more(stack: Stack, partition: int) -> None:
    runtime = await Runtime.start(stack.settings)
    control = stack.settings.keyspace
    try:
        state = PartitionState()
        await fold_log(runtime, state, partition)
        await snapshots.save(runtime.store, control, partition, state.to_snapshot())
        for _ in range(3):
            await asyncio.to_thread(
                ok, stack.apis[0].url, "queues.create", {"name": f"after-{secrets.token_hex(4)}"}
            )
        recovered = await load_partition(runtime, partition)
        full = PartitionState()
        await fold_log(runtime, full, partition)
        assert recovered.folded == full.folded > state.folded
        assert recovered.companies == full.companies
        assert list(recovered.replies) == list(full.replies)

        await _corrupt_newest(runtime, control, partition, full)
        fallback = await snapshots.restore(runtime.store, control, partition)
        assert fallback is not None
        assert fallback.folded == state.folded, "the corrupt snapshot must be skipped"
    finally:
        await runtime.close()


async def _corrupt_newest(
    runtime: Runtime, control: str, partition: int, full: PartitionState
) -> None:
    """A newer snapshot whose bytes do not match its digest, and one from other code."""
    await snapshots.save(runtime.store, control, partition, full.to_snapshot())
    await runtime.store.execute(
        f"UPDATE {control}.decider_snapshot_chunks SET data = ?"
        " WHERE partition = ? AND offset = ? AND chunk = 0",
        [b"garbage", partition, full.folded],
    )
    await runtime.store.execute(
        f"INSERT INTO {control}.decider_snapshots"
        " (partition, offset, format, fingerprint, chunks, digest) VALUES (?, ?, ?, ?, ?, ?)",
        [partition, full.folded + 1_000_000, snapshots.FORMAT, "other-code", 1, "x"],
    )


def test_a_restarted_decider_starts_from_its_snapshot(stack: Stack):
    for worker in stack.workers:
        worker.kill()
    eager = stack.spawn("worker", replace(stack.settings, snapshot_every_events=1))
    partition = partition_of(stack)  # decided by the eager worker: a snapshot follows
    wait_until(lambda: "stored" in eager.log.read_text(), "a snapshot to be stored", eager)
    eager.kill()
    restarted = stack.worker()
    partition_of(stack)
    loaded = re.compile(rf"partition {partition} loaded: snapshot at (\d+)")
    match = wait_until(lambda: loaded.search(restarted.log.read_text()), "the reload", restarted)
    assert int(match[1]) >= 0, "the restart folded from the log instead of the snapshot"
