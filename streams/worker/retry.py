"""Retrying writes that must not be skipped: acknowledged data waits for the store to return."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from streams.cassandra.store import CassandraUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_DELAY_S = 0.1
MAX_DELAY_S = 5.0


async def until_done(action: Callable[[], Awaitable[T]], what: str) -> T:
    """Run `action` until it succeeds, backing off while Cassandra is unavailable.

    Giving up would mean acknowledging a record that was never projected, so this waits for
    as long as the outage lasts; callers upstream see the delay as back-pressure (503).
    """
    delay = FIRST_DELAY_S
    while True:
        try:
            return await action()
        except CassandraUnavailable as exc:
            log.warning("%s failed, retrying in %.1fs: %s", what, delay, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY_S)
