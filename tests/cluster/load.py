"""A mixed load for the fault tests: control-plane commands, telemetry and queue pollers, each
answer counted by status and every acknowledged write remembered, to be found again after."""

from __future__ import annotations

import collections
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

ALLOWED = {200, 400, 503}  # a 500, or a client error we did not provoke, fails the test


@dataclass
class Load:
    url: str  # an API url carrying the stack's credentials
    task: str  # the task the telemetry clients log to
    queue: str  # the queue the pollers poll
    commanders: int = 4
    loggers: int = 2
    pollers: int = 4
    statuses: collections.Counter[Any] = field(default_factory=collections.Counter)
    queues: list[str] = field(default_factory=list)  # acknowledged queues.create
    lines: list[str] = field(default_factory=list)  # acknowledged log lines
    successes: list[float] = field(default_factory=list)  # when each command succeeded
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        work = [self._command] * self.commanders + [self._log] * self.loggers
        work += [self._poll] * self.pollers
        self._threads = [threading.Thread(target=self._loop, args=(w,)) for w in work]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def longest_stall(self, after: float) -> float:
        """The longest time without a decided command after `after` (monotonic)."""
        times = sorted(t for t in self.successes if t >= after)
        gaps = [b - a for a, b in zip([after, *times], times, strict=False)]
        return max(gaps, default=0.0)

    def unexpected(self) -> dict[Any, int]:
        return {k: v for k, v in self.statuses.items() if k not in ALLOWED}

    def _loop(self, work: Any) -> None:
        while not self._stop.is_set():
            try:
                work()
            except requests.RequestException as exc:
                self.statuses[type(exc).__name__] += 1

    def _post(self, endpoint: str, body: dict[str, Any]) -> requests.Response:
        response = requests.post(f"{self.url}/{endpoint}", json=body, timeout=30)
        self.statuses[response.status_code] += 1
        return response

    def _command(self) -> None:
        response = self._post("queues.create", {"name": f"q-{uuid.uuid4().hex[:12]}"})
        if response.status_code == 200:
            self.queues.append(response.json()["data"]["id"])
            self.successes.append(time.monotonic())

    def _log(self) -> None:
        lines = [f"line-{uuid.uuid4().hex}" for _ in range(20)]
        now = int(time.time() * 1000)
        events = [
            {"task": self.task, "type": "log", "msg": m, "level": "info", "timestamp": now}
            for m in lines
        ]
        if self._post("events.add_batch", {"requests": events}).status_code == 200:
            self.lines.extend(lines)

    def _poll(self) -> None:
        self._post("queues.get_next_task", {"queue": self.queue})
        time.sleep(0.2)
