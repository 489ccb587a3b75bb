"""Waiting until projectors applied appended records: their consumer groups' committed offsets.

Contract. `await Applied.wait(positions, timeout_s)` returns True once every group in `groups`
has committed past each (partition, offset) in `positions` of its topic, and False when
`timeout_s` passed first (never raises for Kafka's sake). An intake commits a batch only after
its rows are durable in Cassandra (streams/worker/intake.py), so "committed past" means
"readable through the API". One poller per process serves every waiter: an OffsetFetch per
group every `poll_s` while someone waits, nothing while nobody does. A broker that does not
answer counts as "not yet".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiokafka.admin import AIOKafkaAdminClient

log = logging.getLogger(__name__)


class Offsets(Protocol):
    """Where committed offsets come from: the broker (GroupOffsets), or a test's fake."""

    async def committed(self, group: str, topic: str) -> dict[int, int]: ...

    async def close(self) -> None: ...


@dataclass
class _Waiter:
    needed: dict[int, int]  # partition -> the last offset that must be applied
    done: asyncio.Future[None]


@dataclass
class Applied:
    offsets: Offsets
    topic: str  # the full topic name
    groups: Sequence[str]  # full consumer group ids of the projections that read `topic`
    poll_s: float = 0.01
    _seen: dict[str, dict[int, int]] = field(default_factory=dict)  # group -> committed
    _waiters: list[_Waiter] = field(default_factory=list)
    _poller: asyncio.Task[None] | None = None

    async def wait(self, positions: Iterable[tuple[int, int]], timeout_s: float) -> bool:
        needed: dict[int, int] = {}
        for partition, offset in positions:
            needed[partition] = max(offset, needed.get(partition, -1))
        if not needed or self._passed(needed):
            return True
        waiter = _Waiter(needed, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll())
        try:
            await asyncio.wait_for(waiter.done, timeout_s)
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(waiter)
        return True

    def _passed(self, needed: dict[int, int]) -> bool:
        return all(
            self._seen.get(group, {}).get(partition, 0) > offset
            for group in self.groups
            for partition, offset in needed.items()
        )

    async def _poll(self) -> None:
        while self._waiters:
            await self._refresh()
            for waiter in self._waiters:
                if not waiter.done.done() and self._passed(waiter.needed):
                    waiter.done.set_result(None)
            await asyncio.sleep(self.poll_s)

    async def _refresh(self) -> None:
        fetched = await asyncio.gather(
            *(self.offsets.committed(g, self.topic) for g in self.groups), return_exceptions=True
        )
        for group, found in zip(self.groups, fetched, strict=True):
            if isinstance(found, BaseException):
                log.debug("committed offsets of %s not read: %r", group, found)
                continue
            seen = self._seen.setdefault(group, {})
            for partition, offset in found.items():  # never backwards (a reset group)
                seen[partition] = max(offset, seen.get(partition, 0))

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
        await self.offsets.close()


class GroupOffsets:
    """Committed offsets read from the broker, the group coordinator remembered between reads."""

    def __init__(self, client: dict[str, Any], timeout_ms: int = 2000) -> None:
        self._client = client  # infra/clients.py aiokafka()
        self._timeout_ms = timeout_ms
        self._admin: AIOKafkaAdminClient | None = None
        self._coordinators: dict[str, int] = {}

    async def committed(self, group: str, topic: str) -> dict[int, int]:
        admin = await self._started()
        try:
            if group not in self._coordinators:
                self._coordinators[group] = await admin.find_coordinator(group)
            found = await admin.list_consumer_group_offsets(group, self._coordinators[group])
        except Exception:
            self._coordinators.pop(group, None)  # moved, or not loaded yet: ask again next time
            raise
        return {tp.partition: meta.offset for tp, meta in found.items() if tp.topic == topic}

    async def _started(self) -> AIOKafkaAdminClient:
        if self._admin is None:
            admin = AIOKafkaAdminClient(**self._client, request_timeout_ms=self._timeout_ms)
            try:
                await admin.start()
            except Exception:  # the broker is away: the next poll tries again
                await admin.close()
                raise
            self._admin = admin
        return self._admin

    async def close(self) -> None:
        if self._admin is not None:
            await self._admin.close()
