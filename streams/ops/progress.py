"""Replay's progress: per (read model, partition) the offsets to project and the last one
projected, shown as one meter of events (infra/progress.py: a bar on a terminal, else a line
every few seconds)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TextIO

from infra.progress import Meter

Key = tuple[str, int]  # (read model, partition)


@dataclass
class Span:
    start: int  # first offset to project
    end: int  # end offset (exclusive) when the plan was made
    position: int = -1  # last offset processed

    @property
    def done(self) -> int:
        return max(0, min(self.position + 1, self.end) - self.start)

    @property
    def total(self) -> int:
        return max(0, self.end - self.start)


@dataclass
class Progress:
    spans: dict[Key, Span] = field(default_factory=dict)
    began: float = field(default_factory=time.monotonic)
    clock: Callable[[], float] = time.monotonic

    def advance(self, key: Key, offset: int) -> None:
        self.spans[key].position = max(self.spans[key].position, offset)

    @property
    def done(self) -> int:
        return sum(s.done for s in self.spans.values())

    @property
    def total(self) -> int:
        return sum(s.total for s in self.spans.values())

    def rate(self) -> float:
        return self.done / max(self.clock() - self.began, 1e-6)

    def summary(self, what: str = "replayed") -> str:
        elapsed = self.clock() - self.began
        return (
            f"{what} {self.done:,} events from {len(self.spans)} partitions in {elapsed:.1f} s: "
            f"{self.rate():,.0f} events/s"
        )


@contextlib.asynccontextmanager
async def shown(
    progress: Progress, what: str = "replay", out: TextIO | None = None
) -> AsyncIterator[Progress]:
    """Display `progress` while the context runs (infra/progress.py); the final state at exit."""
    meter = Meter(what, progress.total, "events", out=out)
    task = asyncio.create_task(_follow(progress, meter))
    try:
        yield progress
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        meter.update(progress.done, progress.total)
        meter.close()


async def _follow(progress: Progress, meter: Meter) -> None:
    while True:
        meter.update(progress.done, progress.total)
        await asyncio.sleep(0.5)
