"""G8: no request reads or changes another company's data.

Company A (the stack's default company) owns a queue, a worker and a credential pair. Company
B's admin then calls every endpoint the server registers, aimed at A's objects: reads must not
show them, writes must fail or change only B's own data, and A's world must be intact after.
A test fails when an endpoint is registered that no probe covers, so new endpoints join here.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from api.server import registry
from taskstream import seed
from tests.stack import Stack, as_user, call, ok

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class World:
    a: str  # url as company A's admin
    b: str  # url as company B's admin
    company_a: str
    company_b: str
    queue: str  # A's queue
    queue_name: str
    worker: str  # A's worker
    key: str  # A's extra access key
    secret: str
    admin_a: str  # A's admin user id


@pytest.fixture(scope="module")
def world(stack: Stack) -> World:
    a = stack.apis[0].url
    rival = seed.create_credentials(stack.settings, f"rival-{secrets.token_hex(4)}")
    b = as_user(stack.apis[1].url, rival.access_key, rival.secret_key)
    name = f"a-only-{secrets.token_hex(4)}"
    queue = ok(a, "queues.create", {"name": name})["id"]
    worker = f"a-worker-{secrets.token_hex(4)}"
    ok(a, "workers.register", {"worker": worker, "queues": [queue]})
    pair = ok(a, "auth.create_credentials")["credentials"]
    me = ok(a, "users.get_current_user")["user"]
    return World(
        a,
        b,
        stack.settings.default_company,
        rival.company,
        queue,
        name,
        worker,
        pair["access_key"],
        pair["secret_key"],
        me["id"],
    )


Body = Callable[[World], dict[str, Any]]
Check = Callable[[World, dict[str, Any]], None]


@dataclass(frozen=True)
class Probe:
    endpoint: str
    body: Body
    expect: tuple[int, int] = (200, 0)
    check: Check | None = None  # on B's answer data

    def __str__(self) -> str:
        return self.endpoint


def no_a_queue(w: World, data: dict[str, Any]) -> None:
    assert data["queues"], "B sees its own default queue"
    assert {q["company"] for q in data["queues"]} == {w.company_b}
    assert w.queue not in {q["id"] for q in data["queues"]}


def no_a_worker(w: World, data: dict[str, Any]) -> None:
    assert all(x["company"]["id"] == w.company_b for x in data["workers"])


def _empty(items: list[Any]) -> None:
    assert items == []


def _not_a_queue(w: World, queue: str) -> None:
    assert queue != w.queue
    assert queue not in {q["id"] for q in ok(w.a, "queues.get_all")["queues"]}


def _counted(w: World, data: dict[str, Any]) -> None:
    mine = ok(w.b, "workers.get_all", {"last_seen": 0})["workers"]
    assert data["count"] == len(mine)


def _no_key(w: World, data: dict[str, Any]) -> None:
    assert w.key not in {c["access_key"] for c in data["credentials"]}


def _is_b(w: World, user: dict[str, Any]) -> None:
    assert user["company"]["id"] == w.company_b
    assert user["id"] != w.admin_a


def _new_key(w: World, data: dict[str, Any]) -> None:
    mine = {c["access_key"] for c in ok(w.b, "auth.get_credentials")["credentials"]}
    assert data["credentials"]["access_key"] in mine
    theirs = {c["access_key"] for c in ok(w.a, "auth.get_credentials")["credentials"]}
    assert data["credentials"]["access_key"] not in theirs


READS = [
    Probe("queues.get_by_id", lambda w: {"queue": w.queue}, (400, 701)),
    Probe("queues.get_all", lambda w: {}, check=no_a_queue),
    Probe("queues.get_all_ex", lambda w: {}, check=no_a_queue),
    Probe("queues.get_all", lambda w: {"id": [w.queue]}, check=lambda w, d: _empty(d["queues"])),
    Probe(
        "queues.get_all", lambda w: {"name": w.queue_name}, check=lambda w, d: _empty(d["queues"])
    ),
    Probe("queues.get_default", lambda w: {}, check=lambda w, d: _not_a_queue(w, d["id"])),
    Probe("workers.get_all", lambda w: {"last_seen": 0}, check=no_a_worker),
    Probe("workers.get_count", lambda w: {"last_seen": 0}, check=_counted),
    Probe("auth.get_credentials", lambda w: {}, check=_no_key),
    Probe("users.get_current_user", lambda w: {}, check=lambda w, d: _is_b(w, d["user"])),
]

WRITES = [
    Probe("queues.update", lambda w: {"queue": w.queue, "name": "stolen-name"}, (400, 701)),
    Probe("queues.delete", lambda w: {"queue": w.queue, "force": True}, (400, 701)),
    Probe("queues.create", lambda w: {"name": w.queue_name}),  # names are per company
    Probe("workers.register", lambda w: {"worker": "b-w", "queues": [w.queue]}, (400, 701)),
    Probe("workers.unregister", lambda w: {"worker": w.worker}),  # B's own (absent) worker
    Probe("workers.status_report", lambda w: {"worker": w.worker, "timestamp": 1}),
    Probe("auth.revoke_credentials", lambda w: {"access_key": w.key}, (400, 300)),
    Probe("auth.edit_credentials", lambda w: {"access_key": w.key, "label": "x"}, (400, 300)),
    Probe("auth.create_credentials", lambda w: {}, check=_new_key),
]

# endpoints that hold no company data to read or change
UNSCOPED = {
    "debug.ping",
    "server.info",
    "auth.login",
    "auth.logout",
    "auth.fixed_users_mode",
    "server.lag",  # projector positions, the same for every company
}


# TEMPORARY: probing events.* needs tasks of company A, which arrive with the tasks slice;
# until it is merged these are left out
AWAITING_TASKS = {name for name in registry().names() if name.startswith("events.")}


def test_every_endpoint_is_probed_or_holds_no_company_data():
    probed = {p.endpoint for p in READS + WRITES}
    assert set(registry().names()) - probed - UNSCOPED - AWAITING_TASKS == set()


@pytest.mark.parametrize("probe", READS + WRITES, ids=str)
def test_company_b_cannot_reach_company_a(world: World, probe: Probe):
    envelope = call(world.b, probe.endpoint, probe.body(world))
    meta = envelope["meta"]
    assert (meta["result_code"], meta["result_subcode"]) == probe.expect, meta["result_msg"]
    if probe.check:
        probe.check(world, envelope["data"])
    assert_a_intact(world)


def test_b_cannot_impersonate_a_user_of_a(world: World):
    headers = {"X-ClearML-Impersonate-As": world.admin_a}
    envelope = call(world.b, "users.get_current_user", {}, **headers)
    assert (envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]) == (400, 6)


def test_b_reporting_a_worker_of_the_same_name_leaves_a_s_alone(world: World):
    call(world.b, "workers.status_report", {"worker": world.worker, "timestamp": 1})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # B's heartbeat projection has had every chance
        theirs = _worker(world.b, world.worker)
        if theirs and theirs.get("last_report_time"):
            break
        time.sleep(0.3)
    assert _worker(world.b, world.worker)["queues"] == []
    assert_a_intact(world)


def assert_a_intact(w: World) -> None:
    queue = ok(w.a, "queues.get_by_id", {"queue": w.queue})["queue"]
    assert (queue["name"], queue["company"]) == (w.queue_name, w.company_a)
    worker = _worker(w.a, w.worker)
    assert worker is not None, "A's worker vanished"
    assert [q["id"] for q in worker["queues"]] == [w.queue]
    assert worker.get("last_report_time") is None  # B's reports never reach A's worker
    assert call(as_user(w.a, w.key, w.secret), "queues.get_all")["meta"]["result_code"] == 200


def _worker(url: str, worker: str) -> dict[str, Any] | None:
    found = [
        x for x in ok(url, "workers.get_all", {"last_seen": 0})["workers"] if x["id"] == worker
    ]
    return found[0] if found else None
