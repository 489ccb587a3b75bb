"""Waiting for the projectors (streams/kafka/applied.py) with hand-written committed offsets: a
wait ends once every group committed past every appended offset, and a slow or unreachable
projector ends it at the bound instead."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import pytest

from streams.kafka.applied import Applied

TOPIC = "t.metrics"


@dataclass
class FakeOffsets:
    committed_by_group: dict[str, dict[int, int]] = field(default_factory=dict)
    fails: bool = False
    asked: int = 0

    async def committed(self, group: str, topic: str) -> dict[int, int]:
        assert topic == TOPIC
        self.asked += 1
        if self.fails:
            raise ConnectionError("broker away")
        return dict(self.committed_by_group.get(group, {}))

    async def close(self) -> None:
        pass


def applied(offsets: FakeOffsets, groups: tuple[str, ...] = ("g1",)) -> Applied:
    return Applied(offsets, TOPIC, groups, poll_s=0.005)


async def test_a_wait_ends_when_the_group_committed_past_the_offsets():
    offsets = FakeOffsets({"g1": {0: 5, 3: 0}})
    waiting = asyncio.ensure_future(applied(offsets).wait([(0, 7), (3, 2), (0, 4)], 5.0))
    await asyncio.sleep(0.05)
    assert not waiting.done()  # partition 0 applied up to 4, 3 not at all
    offsets.committed_by_group["g1"] = {0: 8, 3: 2}
    await asyncio.sleep(0.05)
    assert not waiting.done()  # offset 2 of partition 3 not yet: committed is the next to read
    offsets.committed_by_group["g1"][3] = 3
    assert await asyncio.wait_for(waiting, 1.0) is True


async def test_every_group_must_have_applied():
    offsets = FakeOffsets({"g1": {0: 10}})
    waiting = asyncio.ensure_future(applied(offsets, ("g1", "g2")).wait([(0, 1)], 5.0))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    offsets.committed_by_group["g2"] = {0: 2}
    assert await asyncio.wait_for(waiting, 1.0) is True


async def test_a_slow_projector_ends_the_wait_at_the_bound():
    offsets = FakeOffsets({"g1": {0: 1}})
    began = time.monotonic()
    assert await applied(offsets).wait([(0, 1)], 0.2) is False
    assert 0.2 <= time.monotonic() - began < 1.0


async def test_an_unreachable_broker_is_not_yet_and_never_an_error():
    offsets = FakeOffsets(fails=True)
    follower = applied(offsets)
    assert await follower.wait([(0, 1)], 0.1) is False
    offsets.fails, offsets.committed_by_group = False, {"g1": {0: 2}}
    assert await follower.wait([(0, 1)], 1.0) is True


async def test_nothing_is_polled_while_nobody_waits():
    offsets = FakeOffsets({"g1": {0: 3}})
    follower = applied(offsets)
    assert await follower.wait([(0, 2)], 1.0) is True
    asked = offsets.asked
    await asyncio.sleep(0.05)
    assert offsets.asked == asked
    assert await follower.wait([(0, 1)], 1.0) is True  # known applied: no question asked
    assert await follower.wait([], 1.0) is True
    assert offsets.asked == asked


async def test_waiters_share_one_poller():
    offsets = FakeOffsets({"g1": {}})
    follower = applied(offsets)
    waits = [asyncio.ensure_future(follower.wait([(p, 0)], 5.0)) for p in range(20)]
    await asyncio.sleep(0.05)
    asked = offsets.asked
    assert asked < 20  # a poll every 5 ms, for all 20 waiters at once
    offsets.committed_by_group["g1"] = dict.fromkeys(range(20), 1)
    assert await asyncio.wait_for(asyncio.gather(*waits), 1.0) == [True] * 20


async def test_a_cancelled_wait_leaves_no_waiter_behind():
    follower = applied(FakeOffsets({"g1": {}}))
    waiting = asyncio.ensure_future(follower.wait([(0, 0)], 5.0))
    await asyncio.sleep(0.02)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert follower._waiters == []
    await follower.close()
