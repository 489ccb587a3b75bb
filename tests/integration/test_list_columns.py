"""Re-applying a control-plane row must change nothing (G4, G5): what a decider restart does
when its watermark lags the rows it already wrote."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from streams.worker.partition_state import load_partition
from streams.worker.runtime import Runtime
from tests.integration import ops
from tests.stack import Stack, ok, wait_until

pytestmark = pytest.mark.integration


def test_rows_applied_twice_leave_a_queue_as_applied_once(stack: Stack):
    url = stack.apis[0].url
    queue = ok(url, "queues.create", {"name": f"twice-{secrets.token_hex(4)}", "tags": ["a", "b"]})
    history = wait_until(
        lambda: ok(url, "queues.get_history", {"queue": queue["id"]})["history"], "its history"
    )
    partition = history[0]["position"]["partition"]
    _forget_watermark(stack, partition)
    asyncio.run(_reload(stack, partition))  # as a restarted decider: every row applied again
    try:
        assert ok(url, "queues.get_by_id", {"queue": queue["id"]})["queue"]["tags"] == ["a", "b"]
    finally:  # whatever the row holds now, leave the session's read model equal to the log
        ok(url, "queues.delete", {"queue": queue["id"]})


def _forget_watermark(stack: Stack, partition: int) -> None:
    """Delete the control watermark as of its own write timestamp (its offset + 1): a delete at
    the server's clock would shadow every later watermark of the partition for this session's
    keyspace, and `verify` would report the partition behind for the rest of the run."""
    key = "WHERE projection = 'control' AND partition = ?"
    rows = ops.execute(
        stack.settings, f"SELECT offset FROM projection_watermarks {key}", [partition]
    )
    if rows:
        written_at = rows[0]["offset"] + 1
        cql = f"DELETE FROM projection_watermarks USING TIMESTAMP {written_at} {key}"
        ops.execute(stack.settings, cql, [partition])


async def _reload(stack: Stack, partition: int) -> None:
    runtime = await Runtime.start(stack.settings)
    try:
        await load_partition(runtime, partition)
    finally:
        await runtime.close()
