"""Progress of a long command (replay, verify, rebuild, cluster up): a tqdm bar with the rate
and the time left on a terminal, else a plain line every few seconds (CI, pipes, log files)."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from tqdm import tqdm


class Meter:
    """Told the position (`update`) or steps (`advance`); draws as often as it is worth it."""

    def __init__(
        self,
        what: str,
        total: int,
        unit: str,
        *,
        out: TextIO | None = None,  # stderr
        every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.total, self.unit, self.out = what, total, unit, out or sys.stderr
        self.every_s, self.clock = every_s, clock
        self.done, self.began = 0, clock()
        self.next_line = self.began + every_s
        tty = self.out.isatty()
        self.bar = tqdm(total=total, desc=what, unit=f" {unit}", file=self.out) if tty else None

    def update(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self.bar is not None:
            self.bar.total = self.total
            self.bar.update(done - self.bar.n)
        elif self.clock() >= self.next_line:
            self.next_line = self.clock() + self.every_s
            print(self.line(), file=self.out, flush=True)

    def advance(self, steps: int = 1) -> None:
        self.update(self.done + steps)

    def write(self, text: str) -> None:
        """A line of the command's own output, above the bar rather than through it."""
        if self.bar is not None:
            self.bar.write(text, file=self.out)
        else:
            print(text, file=self.out, flush=True)

    def close(self) -> None:
        """The final state, drawn once more."""
        if self.bar is not None:
            self.bar.close()
        else:
            print(self.line(), file=self.out, flush=True)

    def line(self) -> str:
        rate = self.done / max(self.clock() - self.began, 1e-6)
        percent = 100 * self.done / self.total if self.total else 100.0
        return (
            f"{self.what} {percent:5.1f}%  {self.done:,}/{self.total:,} {self.unit}  "
            f"{rate:,.1f} {self.unit}/s  ETA {eta(self.total - self.done, rate)}"
        )


def eta(left: int, rate: float) -> str:
    if left <= 0:
        return "done"
    if rate <= 0:
        return "?"
    seconds = int(left / rate)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


@contextlib.contextmanager
def metered(what: str, total: int, unit: str, out: TextIO | None = None) -> Iterator[Meter]:
    meter = Meter(what, total, unit, out=out)
    try:
        yield meter
    finally:
        meter.close()
