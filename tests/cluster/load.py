"""A mixed load for the fault tests: control-plane commands, telemetry, tasks enqueued and queue
pollers, spread over the API instances, each answer counted by status and every acknowledged
write and every dispatched queue entry remembered, to be checked after."""

from __future__ import annotations

import collections
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

ALLOWED = {200, 400, 503}  # a 500, or a client error we did not provoke, fails the test
RETRY_S = 180.0  # how long a request answered 503 or broken is retried (its X-ClearML-Trx)


@dataclass
class Load:
    urls: list[str]  # API urls carrying the stack's credentials; a client uses urls[i % len]
    task: str  # the task the telemetry clients log to
    queue: str  # the queue the enqueuers fill and the pollers poll
    commanders: int = 4
    loggers: int = 2
    enqueuers: int = 2
    pollers: int = 16
    statuses: collections.Counter[Any] = field(default_factory=collections.Counter)
    queues: list[str] = field(default_factory=list)  # acknowledged queues.create
    lines: list[str] = field(default_factory=list)  # acknowledged log lines
    enqueued: list[str] = field(default_factory=list)  # tasks acknowledged as enqueued
    received: list[str] = field(default_factory=list)  # tasks handed to a poller
    successes: list[float] = field(default_factory=list)  # when each command succeeded
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        work: list[Callable[[int], None]] = [self._command] * self.commanders
        work += [self._log] * self.loggers + [self._enqueue] * self.enqueuers
        work += [self._poll] * self.pollers
        self._threads = [
            threading.Thread(target=self._loop, args=(w, i)) for i, w in enumerate(work)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def longest_stall(self, after: float) -> float:
        """The longest time without a decided command after `after` (monotonic)."""
        times = sorted(t for t in self.successes if t >= after)
        gaps = [b - a for a, b in zip([after, *times], times, strict=False)]
        return max(gaps, default=0.0)

    def recovered_after(self, after: float) -> float:
        """Seconds from `after` to the first decided command following the longest stall."""
        times = sorted(t for t in self.successes if t >= after)
        gaps = [(b - a, b) for a, b in zip([after, *times], times, strict=False)]
        return max(gaps, default=(0.0, after))[1] - after

    def unexpected(self, allowed: frozenset[Any] = frozenset()) -> dict[Any, int]:
        return {k: v for k, v in self.statuses.items() if k not in ALLOWED | allowed}

    def _loop(self, work: Callable[[int], None], index: int) -> None:
        while not self._stop.is_set():
            work(index)

    def _post(self, index: int, endpoint: str, body: dict[str, Any]) -> requests.Response | None:
        """The first definitive answer; a 503 or a broken connection is retried, on the next
        API, under the same X-ClearML-Trx (so a command decided once is answered again, not
        decided twice). None when no API gave a definitive answer within RETRY_S."""
        headers = {"X-ClearML-Trx": uuid.uuid4().hex}
        deadline = time.monotonic() + RETRY_S
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            url = self.urls[(index + attempt) % len(self.urls)]
            try:
                response = requests.post(
                    f"{url}/{endpoint}", json=body, headers=headers, timeout=30
                )
            except requests.RequestException as exc:
                self.statuses[type(exc).__name__] += 1
            else:
                self.statuses[response.status_code] += 1
                if response.status_code != 503:
                    return response
            time.sleep(0.5)
        self.statuses["given up"] += 1
        return None

    def _command(self, index: int) -> None:
        response = self._post(index, "queues.create", {"name": f"q-{uuid.uuid4().hex[:12]}"})
        if response is not None and response.status_code == 200:
            self.queues.append(response.json()["data"]["id"])
            self.successes.append(time.monotonic())

    def _log(self, index: int) -> None:
        lines = [f"line-{uuid.uuid4().hex}" for _ in range(20)]
        now = int(time.time() * 1000)
        events = [
            {"task": self.task, "type": "log", "msg": m, "level": "info", "timestamp": now}
            for m in lines
        ]
        response = self._post(index, "events.add_batch", {"requests": events})
        if response is not None and response.status_code == 200:
            self.lines.extend(lines)

    def _enqueue(self, index: int) -> None:
        body = {"name": f"job-{uuid.uuid4().hex[:8]}", "type": "training"}
        created = self._post(index, "tasks.create", body)
        if created is None or created.status_code != 200:
            return
        task = created.json()["data"]["id"]
        enqueued = self._post(index, "tasks.enqueue", {"task": task, "queue": self.queue})
        if enqueued is not None and enqueued.status_code == 200:
            self.enqueued.append(task)
        time.sleep(0.1)

    def _poll(self, index: int) -> None:
        response = self._post(index, "queues.get_next_task", {"queue": self.queue})
        ok = response is not None and response.status_code == 200
        entry = response.json()["data"].get("entry") if response and ok else None
        if entry:
            self.received.append(entry["task"])
        else:
            time.sleep(0.2)
