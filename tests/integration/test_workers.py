"""workers.* against our own processes: registration through the decider, heartbeats through
ts.worker-status and the liveness projector, merged on read."""

from __future__ import annotations

import secrets
import time

import pytest

from tests.integration import log
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def unique(prefix: str = "w") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def listed(url: str, **body: object) -> dict[str, dict]:
    return {w["id"]: w for w in ok(url, "workers.get_all", body)["workers"]}


def reported(url: str, worker: str) -> dict | None:
    """The worker's entry once a heartbeat of it was projected."""
    entry = listed(url).get(worker)
    return entry if entry and entry.get("last_report_time") else None


def default_queue(url: str) -> str:
    return ok(url, "queues.get_default")["id"]


def report(url: str, worker: str, **fields: object) -> dict:
    body = {"worker": worker, "timestamp": int(time.time() * 1000), **fields}
    return call(url, "workers.status_report", body)


def test_register_lists_the_worker_with_its_queues(stack: Stack):
    url = stack.apis[0].url
    worker, queue = unique(), default_queue(url)
    ok(url, "workers.register", {"worker": worker, "queues": [queue], "tags": ["gpu"]})
    entry = listed(stack.apis[1].url)[worker]
    assert entry["queues"] == [{"id": queue, "name": "default", "num_tasks": 0}]
    assert (entry["register_timeout"], entry["tags"]) == (600, ["gpu"])
    assert entry["company"]["id"] == stack.settings.default_company
    assert entry["user"]["name"] == "admin"
    assert entry["ip"] == "127.0.0.1"
    assert ok(url, "workers.get_count")["count"] >= 1


def test_register_with_an_unknown_queue_is_701(stack: Stack):
    envelope = call(stack.apis[0].url, "workers.register", {"worker": unique(), "queues": ["nope"]})
    assert (envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]) == (400, 701)


def test_a_status_report_registers_an_unknown_worker_and_is_appended(stack: Stack):
    url = stack.apis[0].url
    worker, queue = unique(), default_queue(url)
    stats = {"cpu_usage": [12.5, 30.0], "memory_used": 1024, "gpu_usage": []}
    answer = report(url, worker, queues=[queue], machine_stats=stats, is_daemon=True)
    assert answer["meta"]["result_code"] == 200
    entry = wait_until(lambda: reported(url, worker), "the heartbeat to be projected")
    assert entry["queues"][0]["id"] == queue
    ((key, record),) = log.worker_reports(stack.settings, worker)
    assert key == worker.encode()
    assert record.envelope.company == stack.settings.default_company
    assert record.message.machine_stats == {"cpu_usage": (12.5, 30.0), "memory_used": (1024.0,)}


def test_bad_machine_stats_are_a_validation_error(stack: Stack):
    answer = report(stack.apis[0].url, unique(), machine_stats={"cpu_usage": ["lots"]})
    assert (answer["meta"]["result_code"], answer["meta"]["result_subcode"]) == (400, 12)


def test_unregister_removes_the_worker_and_unknown_workers_are_fine(stack: Stack):
    url = stack.apis[0].url
    worker = unique()
    report(url, worker)
    wait_until(lambda: worker in listed(url), "the worker to appear")
    ok(url, "workers.unregister", {"worker": worker})
    assert worker not in listed(stack.apis[1].url)
    assert ok(url, "workers.unregister", {"worker": unique("never")}) == {}


def test_a_worker_that_stops_reporting_disappears_after_its_timeout(stack: Stack):
    url = stack.apis[0].url
    worker = unique()
    ok(url, "workers.register", {"worker": worker, "timeout": 3})
    assert worker in listed(url)
    report(url, worker)
    wait_until(lambda: worker not in listed(url), "the worker to time out", timeout=60)
    assert worker not in listed(url, last_seen=0)


def test_last_seen_hides_workers_quiet_for_longer(stack: Stack):
    url = stack.apis[0].url
    worker = unique()
    ok(url, "workers.register", {"worker": worker})
    time.sleep(2.5)
    assert worker not in listed(url, last_seen=2)
    assert worker in listed(url, last_seen=60)
    assert worker in listed(url, last_seen=0)


def new_task(url: str, name: str) -> tuple[str, str]:
    project = ok(url, "projects.create", {"name": unique("workers-project"), "description": ""})
    body = {"name": name, "type": "training", "project": project["id"]}
    return ok(url, "tasks.create", body)["id"], project["id"]


def test_a_report_with_a_task_records_the_worker_on_the_task(stack: Stack):
    url = stack.apis[0].url
    worker, queue = unique(), default_queue(url)
    task, project = new_task(url, "reported task")
    ok(url, "tasks.started", {"task": task})
    assert report(url, worker, task=task, queue=queue, queues=[queue])["meta"]["result_code"] == 200
    assert ok(url, "tasks.get_by_id", {"task": task})["task"]["last_worker"] == worker
    entry = wait_until(lambda: reported(url, worker), "the heartbeat to be projected")
    assert entry["task"]["id"] == task
    assert entry["task"]["name"] == "reported task"
    assert entry["task"]["running_time"] >= 0
    assert entry["project"]["id"] == project
    assert entry["queue"]["id"] == queue
    serving = ok(url, "queues.get_all_ex", {"id": [queue]})["queues"][0]["workers"]
    mine = next(w for w in serving if w["name"] == worker)
    assert mine["task"] == {"id": task, "name": "reported task"}
    assert mine["key"].endswith(f"_{worker}")


def test_a_report_with_an_unknown_task_is_101_and_keeps_the_worker_alive(stack: Stack):
    url = stack.apis[0].url
    worker = unique()
    answer = report(url, worker, task="f" * 32)
    assert (answer["meta"]["result_code"], answer["meta"]["result_subcode"]) == (400, 101)
    entry = wait_until(lambda: reported(url, worker), "the heartbeat to be projected")
    assert "task" not in entry


def test_next_task_and_queue_length_are_shown(stack: Stack):
    url = stack.apis[0].url
    queue = ok(url, "queues.create", {"name": unique("wq")})["id"]
    worker = unique()
    ok(url, "workers.register", {"worker": worker, "queues": [queue]})
    task, _project = new_task(url, "waiting task")
    ok(url, "tasks.enqueue", {"task": task, "queue": queue})
    (entry,) = listed(url)[worker]["queues"]
    assert (entry["num_tasks"], entry["next_task"]) == (1, {"id": task, "name": "waiting task"})


def test_worker_pattern_selects_by_id(stack: Stack):
    url = stack.apis[0].url
    worker = unique("pattern")
    ok(url, "workers.register", {"worker": worker})
    selected = listed(url, worker_pattern="pattern-*")
    assert worker in selected
    assert all(w.startswith("pattern-") for w in selected)
    assert worker not in listed(url, worker_pattern="other-*")


def test_tags_match_any_and_system_tags_are_kept_and_filtered(stack: Stack):
    url = stack.apis[0].url
    a, b = unique("tags"), unique("tags")
    ok(url, "workers.register", {"worker": a, "tags": ["gpu"], "system_tags": ["spot"]})
    ok(url, "workers.register", {"worker": b, "tags": ["cpu"]})
    either = listed(url, tags=["gpu", "cpu"], worker_pattern="tags-*")
    assert {a, b} <= set(either)
    assert either[a]["system_tags"] == ["spot"]
    assert set(listed(url, system_tags=["spot"], worker_pattern="tags-*")) >= {a}
    assert b not in listed(url, system_tags=["spot"])
    assert b in listed(url, system_tags=["-spot"])
    counted = ok(url, "workers.get_count", {"system_tags": ["spot"], "worker_pattern": a})
    assert counted["count"] == 1
    assert report(url, a, system_tags=["on-demand"])["meta"]["result_code"] == 200
    wait_until(lambda: (reported(url, a) or {}).get("system_tags") == ["on-demand"],
               "the reported system tags")  # fmt: skip


def test_runtime_properties_are_set_read_back_and_removed(stack: Stack):
    url = stack.apis[0].url
    worker = unique()
    props = [{"key": "force", "value": "off", "expiry": 600}, {"key": "max_num_instances",
             "value": "2"}]  # fmt: skip
    reply = ok(
        url, "workers.set_runtime_properties", {"worker": worker, "runtime_properties": props}
    )
    assert len(reply["added"]) == 2
    assert reply["removed"] == []
    got = ok(stack.apis[1].url, "workers.get_runtime_properties", {"worker": worker})
    by_key = {p["key"]: p for p in got["runtime_properties"]}
    assert by_key["force"]["value"] == "off"
    assert 590 <= by_key["force"]["expiry"] <= 600
    assert by_key["max_num_instances"] == {"key": "max_num_instances", "value": "2", "expiry": None}
    gone = [{"key": "force", "expiry": 0}]
    ok(url, "workers.set_runtime_properties", {"worker": worker, "runtime_properties": gone})
    left = ok(url, "workers.get_runtime_properties", {"worker": worker})["runtime_properties"]
    assert [p["key"] for p in left] == ["max_num_instances"]
    old = call(url + "/v2.9", "workers.get_runtime_properties", {"worker": worker})
    assert old["meta"]["result_code"] == 404  # served from API 2.10, as in ClearML


def test_queue_metadata_on_create_and_update_and_hidden_queues(stack: Stack):
    url = stack.apis[0].url
    name = unique("meta")
    item = {"key": "gpu", "type": "str", "value": "a100"}
    queue = ok(url, "queues.create", {"name": name, "metadata": {"gpu": item}})["id"]
    doc = ok(url, "queues.get_by_id", {"queue": queue})["queue"]
    assert doc["metadata"] == {"gpu": item}
    fields = {"metadata": [{"key": "ram", "value": "64"}]}
    assert ok(url, "queues.update", {"queue": queue, **fields})["updated"] == 1
    doc = ok(url, "queues.get_by_id", {"queue": queue})["queue"]
    assert doc["metadata"] == {"ram": {"key": "ram", "value": "64"}}
    glue = ok(url, "queues.create", {"name": unique("glue"), "system_tags": ["k8s-glue"]})["id"]
    ids = {q["id"] for q in ok(url, "queues.get_all", {})["queues"]}
    assert queue in ids
    assert glue not in ids
    assert glue in {q["id"] for q in ok(url, "queues.get_all", {"search_hidden": True})["queues"]}
    assert glue not in {q["id"] for q in ok(url, "queues.get_all_ex", {})["queues"]}
    assert [q["id"] for q in ok(url, "queues.get_all", {"id": [glue]})["queues"]] == [glue]
