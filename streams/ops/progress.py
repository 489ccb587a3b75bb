"""The replay progress display: per (read model, partition) position, events/s and ETA.

On a terminal the block of lines is redrawn in place; otherwise (CI, pipes) one summary line is
printed every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TextIO

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

    def lines(self) -> list[str]:
        elapsed = max(self.clock() - self.began, 1e-6)
        out = []
        for (model, partition), span in sorted(self.spans.items()):
            rate, eta = span.done / elapsed, _eta(span.total - span.done, span.done / elapsed)
            out.append(
                f"  {model:<14} p{partition:<3} {_bar(span.done, span.total)} "
                f"{span.done:>10,}/{span.total:<10,} {rate:>9,.0f} ev/s  ETA {eta}"
            )
        out.append(self.headline())
        return out

    def headline(self) -> str:
        rate = self.rate()
        left = self.total - self.done
        percent = 100 * self.done / self.total if self.total else 100.0
        return (
            f"replay {percent:5.1f}%  {self.done:,}/{self.total:,} events  "
            f"{rate:,.0f} events/s  ETA {_eta(left, rate)}"
        )

    def summary(self, what: str = "replayed") -> str:
        elapsed = self.clock() - self.began
        return (
            f"{what} {self.done:,} events from {len(self.spans)} partitions in {elapsed:.1f} s: "
            f"{self.rate():,.0f} events/s"
        )


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = width if not total else int(width * done / total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _eta(left: int, rate: float) -> str:
    if left <= 0:
        return "done"
    if rate <= 0:
        return "?"
    seconds = int(left / rate)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


@contextlib.asynccontextmanager
async def shown(progress: Progress, out: TextIO = sys.stderr) -> AsyncIterator[Progress]:
    """Display `progress` while the context runs; the final state is drawn once more at exit."""
    display = Display(progress, out)
    task = asyncio.create_task(display.forever())
    try:
        yield progress
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        display.draw()


@dataclass
class Display:
    progress: Progress
    out: TextIO
    drawn: int = 0  # lines on screen to redraw over (terminal only)

    async def forever(self) -> None:
        tty = self.out.isatty()
        while True:
            await asyncio.sleep(0.5 if tty else 5.0)
            self.draw()

    def draw(self) -> None:
        if not self.out.isatty():
            print(self.progress.headline(), file=self.out, flush=True)
            return
        lines = self.progress.lines()
        up = f"\x1b[{self.drawn}A" if self.drawn else ""
        self.out.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self.out.flush()
        self.drawn = len(lines)
