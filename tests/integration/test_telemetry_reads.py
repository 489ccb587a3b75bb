"""Telemetry reads on the real services: logs across time buckets, paging every kind of event,
and unknown tasks."""

from __future__ import annotations

import pytest
import requests

from tests.integration.test_telemetry import add_batch, scalars, task_with_status, total_scalars
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration
HOUR = 3_600_000


def log(task: str, n: int, timestamp: int) -> dict:
    return {
        "type": "log",
        "task": task,
        "msg": f"line {n}",
        "level": "info",
        "timestamp": timestamp,
    }


def test_logs_page_across_hours_in_time_order(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    start = 1_700_000_000_000
    # three hours, and two lines in one millisecond that must keep their order
    stamps = [start, start + 1, start + 1, start + HOUR + 5, start + 2 * HOUR + 7]
    add_batch(url, [log(task, n, t) for n, t in enumerate(stamps)])
    body = {"task": task, "batch_size": 2, "order": "asc"}
    wait_until(lambda: ok(url, "events.get_task_log", body)["total"] == 5, "the log lines")
    latest = ok(url, "events.get_task_log", body)
    assert [e["msg"] for e in latest["events"]] == ["line 3", "line 4"]
    older = ok(url, "events.get_task_log", {**body, "from_timestamp": start + HOUR + 5})
    assert [e["msg"] for e in older["events"]] == ["line 1", "line 2"]
    later = ok(
        url, "events.get_task_log", {**body, "navigate_earlier": False, "from_timestamp": start}
    )
    assert [e["msg"] for e in later["events"]] == ["line 1", "line 2"]
    body = {"task": task, "line_type": "text"}
    text = requests.post(f"{url}/events.download_task_log", json=body, timeout=30).text
    assert [line.split()[-1] for line in text.strip().splitlines()] == ["0", "1", "2", "3", "4"]


def test_every_kind_of_event_pages_through_once(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    plot = {
        "type": "plot",
        "task": task,
        "iter": 1,
        "metric": "p",
        "variant": "v",
        "plot_str": "{}",
    }
    add_batch(url, [*scalars(task, 30), log(task, 0, 5), log(task, 1, 6), plot])
    wait_until(lambda: ok(url, "events.get_task_events", {"task": task})["total"] == 63, "events")
    seen, scroll = [], None
    for _ in range(20):
        page = ok(
            url, "events.get_task_events", {"task": task, "batch_size": 7, "scroll_id": scroll}
        )
        if not page["events"]:
            break
        seen.extend(page["events"])
        scroll = page["scroll_id"]
    assert len(seen) == 63
    kinds = [e["type"] for e in seen]
    assert kinds[:3] == ["log", "log", "plot"]
    assert kinds.count("training_stats_scalar") == 60


def test_reads_of_an_unknown_task_are_400_101(stack: Stack):
    url = stack.apis[0].url
    for endpoint in (
        "events.get_task_log",
        "events.get_task_events",
        "events.scalar_metrics_iter_histogram",
        "events.get_task_plots",
    ):
        reply = call(url, endpoint, {"task": "no-such-task"})
        assert (reply["meta"]["result_code"], reply["meta"]["result_subcode"]) == (400, 101)


def test_scalar_reads_honour_metrics_and_page_raw_points(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    other = [{**e, "metric": "acc"} for e in scalars(task, 3)]
    add_batch(url, [*scalars(task, 5), *other])
    wait_until(lambda: total_scalars(url, task) == 16, "the scalars")
    wanted = {"tasks": [task], "metrics": [{"metric": "loss", "variants": ["val"]}]}
    compared = ok(url, "events.multi_task_scalar_metrics_iter_histogram", wanted)["metrics"]
    assert list(compared) == ["loss"]
    assert list(compared["loss"]) == ["val"]
    body = {"task": task, "metric": {"metric": "loss"}, "batch_size": 4, "count_total": True}
    seen: dict[str, list[int]] = {}
    for _ in range(5):
        page = ok(url, "events.scalar_metrics_iter_raw", body)
        assert page["total"] == 10
        if not page["returned"]:
            break
        for variant, points in page["variants"].items():
            seen.setdefault(variant, []).extend(points["iter"])
            assert len(points["y"]) == len(points["iter"])
        body["scroll_id"] = page["scroll_id"]
    assert seen == {"train": [0, 1, 2, 3, 4], "val": [0, 1, 2, 3, 4]}
    one = {"task": task, "metric": {"metric": "acc", "variants": ["val"]}, "key": "timestamp"}
    page = ok(url, "events.scalar_metrics_iter_raw", one)
    assert (list(page["variants"]), page["total"]) == (["val"], None)
    assert set(page["variants"]["val"]) == {"y", "timestamp"}


def test_a_log_read_later_from_a_time_is_oldest_first(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    start = 1_700_000_000_000
    add_batch(url, [log(task, n, start + n) for n in range(4)])
    wait_until(lambda: ok(url, "events.get_task_log", {"task": task})["total"] == 4, "the lines")
    body = {"task": task, "navigate_earlier": False, "from_timestamp": start, "batch_size": 2}
    later = ok(url, "events.get_task_log", body)
    assert [e["msg"] for e in later["events"]] == ["line 1", "line 2"]
    latest = ok(url, "events.get_task_log", {"task": task, "batch_size": 2})
    assert [e["msg"] for e in latest["events"]] == ["line 3", "line 2"]
