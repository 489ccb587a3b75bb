"""Operator endpoints against the real Kafka and Cassandra: the API's /healthz, /readyz and
/metrics in process (aiohttp_client), and the session worker's on its own port."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.edge_app import server
from tests.stack import Stack, call, free_port, wait_until

pytestmark = pytest.mark.integration


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text exposition, by name and labels."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


async def ready(client: Any, patience_s: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + patience_s
    while True:
        response = await client.get("/readyz")
        body = await response.json()
        if response.status == 200 or time.monotonic() > deadline:
            return {"status": response.status, **body}
        await asyncio.sleep(0.5)


async def test_alive_without_credentials(aiohttp_client, test_settings):
    http = await aiohttp_client(server(test_settings))
    response = await http.get("/healthz")
    assert (response.status, await response.json()) == (200, {"status": "alive"})


async def test_ready_once_kafka_cassandra_and_the_reply_reader_answer(client):
    answer = await ready(client)
    checks = {"kafka": "ok", "cassandra": "ok", "replies": "ok"}
    assert answer == {"status": 200, "ready": True, "checks": checks}


async def test_not_ready_while_cassandra_is_unreachable(aiohttp_client, test_settings):
    nowhere = replace(test_settings, cassandra_port=free_port())  # nothing listens there
    http = await aiohttp_client(server(nowhere))
    response = await http.get("/readyz")
    body = await response.json()
    assert response.status == 503
    assert body["ready"] is False
    assert body["checks"]["cassandra"] != "ok"


async def test_requests_are_counted_by_endpoint_and_status(client):
    for _ in range(2):
        await client.post("/debug.ping", json={})
    await client.post("/v2.13/no_such.endpoint", json={})
    await client.post("/tasks.get_by_id", json={"task": 7})  # a schema violation: 400
    text = await (await client.get("/metrics")).text()
    count = "taskstream_http_requests_total"
    assert value(text, count, endpoint="debug.ping", status="200") == 2
    assert value(text, count, endpoint="unknown", status="404") == 1
    assert value(text, count, endpoint="tasks.get_by_id", status="400") == 1
    assert value(text, "taskstream_http_request_seconds_count", endpoint="debug.ping") == 2
    assert value(text, "process_resident_memory_bytes") > 0


async def test_commands_and_telemetry_are_timed_and_counted(stack: Stack, client):
    await ready(client)
    created = await client.post("/projects.create", json={"name": f"p-{time.time_ns()}"})
    assert created.status == 200, await created.text()
    refused = await client.post("/queues.delete", json={"queue": "no-such-queue"})
    assert refused.status == 400, await refused.text()
    text = await (await client.get("/metrics")).text()
    roundtrip = "taskstream_command_roundtrip_seconds_count"
    assert value(text, roundtrip, outcome="decided") == 1
    assert value(text, roundtrip, outcome="rejected") == 1
    assert value(text, "taskstream_produce_seconds_count") >= 2


def test_the_worker_serves_lag_batches_and_readiness(stack: Stack):
    worker = stack.workers[0]
    assert call(stack.apis[0].url, "queues.create", {"name": f"q-{time.time_ns()}"})
    wait_until(lambda: _get(worker.url, "/readyz").status_code == 200, "worker ready", worker)
    assert _get(worker.url, "/healthz").json() == {"status": "alive"}
    text = _get(worker.url, "/metrics").text
    assert value(text, "taskstream_intake_batch_records_count", group="decider") >= 1
    lags = {
        dict(labels)["group"]
        for name, labels in samples(text)
        if name == "taskstream_intake_lag_records"
    }
    assert "decider" in lags


def _get(url: str | None, path: str) -> requests.Response:
    return requests.get(f"{url}{path}", timeout=5)
