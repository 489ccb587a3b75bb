"""Pings the API instances throughout the fuzzing and keeps every latency.

A blocked event loop (a regular expression backtracking, a huge response being built) shows up
as a slow ping, whichever tenant's request blocked it. The pings come from a process of their
own: from a thread of the test process they also measured its GIL, which Hypothesis holds while
it generates (p99 118 ms from a thread against 58 ms from a process, same run, same server).
Each line of the record: latency in seconds, url, time of day.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

PERIOD_S = 0.05
ROOT = Path(__file__).parents[2]  # where `tests` is a package


class Pinger:
    """Pings the fuzzed API and a control API that gets no fuzz requests: the control shows
    what the machine alone costs a ping at the time."""

    def __init__(self, fuzzed: str, control: str, record: Path) -> None:
        self.fuzzed, self.control, self.record = fuzzed, control, record
        self.latencies: dict[str, list[float]] = {fuzzed: [], control: []}  # inf: no answer
        self.slowest: dict[str, tuple[float, str]] = {fuzzed: (0.0, ""), control: (0.0, "")}
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        urls = [self.fuzzed, self.control]
        command = [sys.executable, "-m", "tests.fuzz.pinger", str(self.record), *urls]
        self._process = subprocess.Popen(command, cwd=ROOT)

    def stop(self) -> None:
        """Stop pinging (once) and read the latencies."""
        if self._process is None:
            return
        self._process.terminate()
        self._process.wait(timeout=30)
        self._process = None
        lines = self.record.read_text().splitlines() if self.record.exists() else []
        for line in lines:
            latency, url, at = line.split(" ", 2)
            self.latencies[url].append(float(latency))
            self.slowest[url] = max(self.slowest[url], (float(latency), at))

    def percentile(self, url: str, p: float) -> float:
        ordered = sorted(self.latencies[url])
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def ping_until_terminated(record: Path, urls: list[str]) -> None:
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    session = requests.Session()
    with record.open("w") as out:
        while not stopping:
            for url in urls:
                out.write(f"{_ping(session, url)} {url} at {time.strftime('%H:%M:%S')}\n")
                out.flush()
            time.sleep(PERIOD_S)


def _ping(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    try:
        answered = session.get(f"{url}/debug.ping", timeout=10).status_code == 200
    except requests.RequestException:
        answered = False
    return time.perf_counter() - started if answered else float("inf")


if __name__ == "__main__":
    ping_until_terminated(Path(sys.argv[1]), sys.argv[2:])
