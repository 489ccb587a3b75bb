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
    ops.execute(
        stack.settings,
        "DELETE FROM projection_watermarks WHERE projection = 'control' AND partition = ?",
        [partition],
    )
    asyncio.run(_reload(stack, partition))  # as a restarted decider: every row applied again
    try:
        assert ok(url, "queues.get_by_id", {"queue": queue["id"]})["queue"]["tags"] == ["a", "b"]
    finally:  # whatever the row holds now, leave the session's read model equal to the log
        ok(url, "queues.delete", {"queue": queue["id"]})


async def _reload(stack: Stack, partition: int) -> None:
    runtime = await Runtime.start(stack.settings)
    try:
        await load_partition(runtime, partition)
    finally:
        await runtime.close()
