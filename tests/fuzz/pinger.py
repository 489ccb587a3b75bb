"""A thread that pings the API instances throughout the fuzzing and keeps every latency.

A blocked event loop (a regular expression backtracking, a huge response being built) shows up
as a slow ping, whichever tenant's request blocked it.
"""

from __future__ import annotations

import threading
import time

import requests

PERIOD_S = 0.05


class Pinger(threading.Thread):
    def __init__(self, urls: list[str]) -> None:
        super().__init__(name="fuzz-pinger", daemon=True)
        self.urls = urls
        self.latencies: list[float] = []  # seconds; a failed ping counts as infinitely slow
        self.slowest: tuple[float, str] = (0.0, "")
        self._stopping = threading.Event()

    def run(self) -> None:
        session = requests.Session()
        while not self._stopping.wait(PERIOD_S):
            for url in self.urls:
                self._ping(session, url)

    def _ping(self, session: requests.Session, url: str) -> None:
        started, at = time.perf_counter(), time.strftime("%H:%M:%S")
        try:
            answered = session.get(f"{url}/debug.ping", timeout=10).status_code == 200
        except requests.RequestException:
            answered = False
        latency = time.perf_counter() - started if answered else float("inf")
        self.latencies.append(latency)
        self.slowest = max(self.slowest, (latency, f"{url} at {at}"))

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=15)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0
