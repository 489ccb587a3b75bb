"""Telemetry read-your-writes (docs/telemetry.md): once events.add_batch answered, every read of
every API instance sees the batch, without polling; a stalled projector delays the answer by
the bound at most, and the answer is still a 200."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import orjson
import pytest

from api.dispatch import SERVICES
from config.settings import Settings
from tests.integration.edge_app import bearer, meta, server
from tests.integration.test_telemetry import add_batch, scalars, task_with_status
from tests.stack import Stack, ok, wait_until

pytestmark = pytest.mark.integration
ITERS = 2000  # per flush and series: 4,000 scalars, about what an SDK flush of a busy run holds
FLUSHES = 3


def batch(task: str, flush: int) -> list[dict]:
    first, last = flush * ITERS, (flush + 1) * ITERS - 1
    return [
        *(
            {"type": "training_stats_scalar", "task": task, "iter": i, "metric": "loss",
             "variant": v, "value": float(i)}
            for i in range(first, last + 1) for v in ("train", "val")
        ),
        {"type": "log", "task": task, "msg": f"flush {flush}", "level": "info", "iter": last},
        {"type": "plot", "task": task, "iter": last, "metric": "roc", "variant": "v",
         "plot_str": "{}"},
        {"type": "training_debug_image", "task": task, "iter": last, "metric": "inputs",
         "variant": "v", "url": f"http://files.invalid/inputs/{last}.png"},
    ]  # fmt: skip


def reads(pool: ThreadPoolExecutor, url: str, task: str) -> dict:
    """What a client reads right after its flush, all issued at once."""
    of_task = {"task": task, "batch_size": 1}
    listed = {"id": [task], "only_fields": ["last_metrics", "last_iteration"]}
    calls = {
        "histogram": ("events.scalar_metrics_iter_histogram", {"task": task, "samples": 1000}),
        "scalars": ("events.get_task_events", {**of_task, "event_type": "training_stats_scalar"}),
        "latest": ("events.get_task_latest_scalar_values", {"task": task}),
        "log": ("events.get_task_log", {"task": task, "batch_size": 10}),
        "plots": ("events.get_task_plots", {"task": task}),
        "images": ("events.get_task_events", {"task": task, "event_type": "training_debug_image"}),
        "task": ("tasks.get_by_id", {"task": task}),
        "listed": ("tasks.get_all", listed),
    }  # fmt: skip
    futures = {name: pool.submit(ok, url, *call) for name, call in calls.items()}
    return {name: future.result() for name, future in futures.items()}


def last_values(last_metrics: dict) -> dict[tuple[str, str], float]:
    return {
        (entry["metric"], entry["variant"]): entry["value"]
        for variants in last_metrics.values()
        for entry in variants.values()
    }


def test_a_batch_is_readable_everywhere_the_moment_it_is_answered(stack: Stack):
    writer, reader = (api.url for api in stack.apis[:2])
    task = task_with_status(stack)
    with ThreadPoolExecutor(8) as pool:
        for flush in range(FLUSHES):
            reply = add_batch(writer, batch(task, flush))
            got = reads(pool, reader, task)  # no wait, no polling: a trailing read fails here
            assert reply["data"]["added"] == 2 * ITERS + 3
            seen(got, flush)


def seen(got: dict, flush: int) -> None:
    """Every read shows the flush's last iteration."""
    last = (flush + 1) * ITERS - 1
    assert got["scalars"]["total"] == 2 * (last + 1)
    for variant in ("train", "val"):  # its last bucket is of this flush (buckets of <= 20 iters)
        assert last - ITERS < got["histogram"]["loss"][variant]["x"][-1] <= last
    assert got["latest"]["last_iter"] == last
    assert got["log"]["events"][0]["msg"] == f"flush {flush}"  # newest first
    assert {p["iter"] for p in got["plots"]["plots"]} >= {last}
    assert f"http://files.invalid/inputs/{last}.png" in {e["url"] for e in got["images"]["events"]}
    expected = {("loss", "train"): float(last), ("loss", "val"): float(last)}
    assert got["task"]["task"]["last_iteration"] == last
    assert last_values(got["task"]["task"]["last_metrics"]) == expected
    (listed,) = got["listed"]["tasks"]
    assert listed["last_iteration"] == last
    assert last_values(listed["last_metrics"]) == expected


async def test_a_stalled_projector_delays_the_answer_by_the_bound_and_no_more(
    stack: Stack, aiohttp_client, test_settings: Settings
):
    """The worker is stopped (SIGSTOP) while an in-process API with a 1 s bound takes a batch:
    the answer is a 200 after about the bound, and the batch is read once the worker resumes."""
    settings = replace(test_settings, telemetry_readable_wait_s=1.0)
    client = await aiohttp_client(server(settings))
    task = task_with_status(stack)
    body = b"\n".join(orjson.dumps(e) for e in scalars(task, 5))
    headers = {**bearer(settings), "Content-Type": "application/json-lines"}
    await client.post("/debug.ping", headers=headers)  # connect the app's producer and store
    worker = stack.workers[0].popen.pid
    os.kill(worker, signal.SIGSTOP)
    try:
        began = time.monotonic()
        response = await client.post("/events.add_batch", data=body, headers=headers)
        answered = time.monotonic() - began
        assert (await meta(response))["result_code"] == 200
    finally:
        os.kill(worker, signal.SIGCONT)
    assert 1.0 <= answered < 4.0
    signals = client.server.app[SERVICES].telemetry.signals
    assert signals.registry.get_sample_value("taskstream_telemetry_readable_late_total") == 1
    latest = lambda: ok(stack.apis[0].url, "events.get_task_latest_scalar_values", {"task": task})  # noqa: E731
    wait_until(lambda: latest().get("last_iter") == 4, "the batch once the worker resumed")
