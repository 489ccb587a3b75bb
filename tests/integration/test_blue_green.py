"""Blue/green: a rebuild switched in while the API keeps serving commands and reads (and back)."""

from __future__ import annotations

import secrets
import threading

import pytest

from tests.integration import ops
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def names(url: str) -> set[str]:
    return {q["name"] for q in ok(url, "queues.get_all")["queues"]}


class Traffic:
    """Creates queues until stopped; remembers the names the API acknowledged."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.acked: list[str] = []
        self.unseen: list[str] = []  # acknowledged yet not read back at once (G2 broken)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            name = f"bg-{secrets.token_hex(5)}"
            url = self.stack.apis[len(self.acked) % 2].url
            if call(url, "queues.create", {"name": name})["meta"]["result_code"] == 200:
                self.acked.append(name)
                if name not in names(url):
                    self.unseen.append(name)

    def __enter__(self) -> Traffic:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


def test_swap_to_a_rebuilt_keyspace_and_back_while_serving(stack: Stack):
    settings = stack.settings
    home = ops.live_keyspace(settings)
    green = f"{settings.keyspace}_g{secrets.token_hex(2)}"
    with Traffic(stack) as traffic:
        ops.rebuild_into(settings, green, swap=True)
        assert ops.live_keyspace(settings) == green
        during = len(traffic.acked)
        wait_until(lambda: len(traffic.acked) > during + 3, "commands after the swap")
    assert len(traffic.acked) > 5
    assert traffic.unseen == [], "read-your-writes broke during the swap"
    for api in stack.apis[:2]:
        assert set(traffic.acked) <= names(api.url)
    report = ops.verified(settings)
    assert report.live == green
    assert report.equal, "\n".join(report.lines())

    ops.rebuild_into(settings, home, swap=True)  # the old keyspace converges from the log
    assert ops.live_keyspace(settings) == home
    assert set(traffic.acked) <= names(stack.apis[0].url)
    back = ops.verified(settings)
    assert back.equal, "\n".join(back.lines())
