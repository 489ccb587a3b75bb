"""KFP v1beta1 runs over plain HTTP against our worker and API processes (real Kafka and
Cassandra): JSON shapes, state errors, metrics, artifacts, listing and read-your-writes."""

from __future__ import annotations

import base64
import secrets

import pytest

from tests.integration.kfp_http import create, filter_param, kfp, list_runs, report
from tests.stack import Stack

pytestmark = pytest.mark.integration


def test_create_then_get_on_the_other_instance_has_kfp_shape(stack: Stack):
    first, second = (api.url for api in stack.apis[:2])
    run = create(first, description="d")
    got = kfp(second, "GET", f"/runs/{run['id']}").json()
    assert got["run"] == run
    assert "status" not in run
    assert "storage_state" not in run
    assert run["finished_at"] == run["scheduled_at"] == "1970-01-01T00:00:00Z"
    assert run["created_at"].endswith("Z")
    assert "." not in run["created_at"]
    assert run["resource_references"] == [
        {"key": {"type": "EXPERIMENT", "id": "e1"}, "relationship": "OWNER"}
    ]
    assert got["pipeline_runtime"]["workflow_manifest"].startswith("{")


def test_unknown_run_is_a_kfp_404(stack: Stack):
    url = stack.apis[0].url
    for method, path in [
        ("GET", "/runs/nope"),
        ("POST", "/runs/nope:archive"),
        ("POST", "/runs/nope:unarchive"),
        ("DELETE", "/runs/nope"),
        ("POST", "/runs/nope:reportMetrics"),
        ("POST", "/runs/nope/terminate"),
        ("POST", "/runs/nope/retry"),
    ]:
        response = kfp(url, method, path, {})
        assert response.status_code == 404, (method, path, response.text)
        body = response.json()
        assert body["code"] == 5
        assert body["details"][0]["@type"] == "type.googleapis.com/api.Error"
        assert body["details"][0]["error_message"] == "Run nope not found."


def test_create_validation_is_400_invalid_argument(stack: Stack):
    response = kfp(stack.apis[0].url, "POST", "/runs", {"pipeline_spec": {}})
    assert response.status_code == 400
    assert response.json()["code"] == 3
    assert "The run name is empty" in response.json()["message"]


def test_status_progress_terminate_and_retry(stack: Stack):
    url = stack.apis[0].url
    run = create(url)["id"]
    assert kfp(url, "POST", f"/runs/{run}/retry").status_code == 409
    report(url, run, "Running", [{"id": "n1", "phase": "Running", "name": "train"}])
    assert kfp(url, "POST", f"/runs/{run}/terminate").json() == {}
    assert kfp(url, "GET", f"/runs/{run}").json()["run"]["status"] == "Terminating"
    report(url, run, "Failed", [{"id": "n1", "phase": "Failed"}])
    detail = kfp(url, "GET", f"/runs/{run}").json()
    assert detail["run"]["status"] == "Failed"
    assert detail["run"]["finished_at"] != "1970-01-01T00:00:00Z"
    assert '"phase":"Failed"' in detail["pipeline_runtime"]["workflow_manifest"]
    refused = kfp(url, "POST", f"/runs/{run}/terminate")
    assert refused.status_code == 400
    assert refused.json()["details"][0]["error_message"].endswith("Row not found.")
    assert kfp(url, "POST", f"/runs/{run}/retry").json() == {}
    again = kfp(url, "GET", f"/runs/{run}").json()["run"]
    assert again["status"] == "Running"
    assert again["finished_at"] == "1970-01-01T00:00:00Z"


def test_metrics_first_write_wins_per_metric(stack: Stack):
    url = stack.apis[0].url
    run = create(url)["id"]
    metrics = [
        {"name": "accuracy", "node_id": "n1", "number_value": 0.5, "format": "PERCENTAGE"},
        {"name": "bad name", "node_id": "n1", "number_value": 1},
    ]
    first = kfp(url, "POST", f"/runs/{run}:reportMetrics", {"run_id": run, "metrics": metrics})
    statuses = [r["status"] for r in first.json()["results"]]
    assert statuses == ["OK", "INVALID_ARGUMENT"]
    again = [{"name": "accuracy", "node_id": "n1", "number_value": 0.9}]
    second = kfp(url, "POST", f"/runs/{run}:reportMetrics", {"metrics": again}).json()
    assert second["results"][0]["status"] == "DUPLICATE_REPORTING"
    stored = kfp(url, "GET", f"/runs/{run}").json()["run"]["metrics"]
    assert stored == [
        {"name": "accuracy", "node_id": "n1", "number_value": 0.5, "format": "PERCENTAGE"}
    ]


def test_artifacts_round_trip_in_chunks_and_are_size_limited(stack: Stack):
    url = stack.apis[0].url
    run = create(url)["id"]
    data = secrets.token_bytes(200_000)
    path = f"/runs/{run}/nodes/n1/artifacts/mlpipeline-metrics"
    assert kfp(url, "POST", f"{path}:write", data).json() == {"size": len(data)}
    read = kfp(url, "GET", f"{path}:read").json()
    assert base64.b64decode(read["data"]) == data
    assert kfp(url, "GET", f"/runs/{run}/nodes/n1/artifacts/other:read").status_code == 404
    too_big = kfp(url, "POST", f"{path}:write", b"x" * (600 * 1024))
    assert too_big.status_code == 413


def test_archive_filter_sort_and_pages_in_an_experiment(stack: Stack):
    url = stack.apis[0].url
    experiment = secrets.token_hex(6)
    ids = [create(url, f"r{n:02d}", experiment)["id"] for n in range(7)]
    assert kfp(url, "POST", f"/runs/{ids[0]}:archive").json() == {}
    scope = {"resource_reference_key.type": "EXPERIMENT", "resource_reference_key.id": experiment}
    live = filter_param(
        {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"}
    )
    names, token = [], ""
    while True:
        page = list_runs(
            url, page_size=2, sort_by="name desc", filter=live, page_token=token, **scope
        )
        assert page["total_size"] == 6
        names += [r["name"] for r in page["runs"]]
        token = page.get("next_page_token", "")
        if not token:
            break
    assert names == [f"r{n:02d}" for n in range(6, 0, -1)]
    archived = list_runs(
        url,
        filter=filter_param(
            {"key": "storage_state", "op": "EQUALS", "string_value": "STORAGESTATE_ARCHIVED"}
        ),
        **scope,
    )
    assert [r["id"] for r in archived["runs"]] == [ids[0]]
    assert archived["runs"][0]["storage_state"] == "STORAGESTATE_ARCHIVED"
    assert kfp(url, "DELETE", f"/runs/{ids[1]}").json() == {}
    assert list_runs(url, **scope)["total_size"] == 6
    empty = list_runs(url, **{**scope, "resource_reference_key.id": "none"})
    assert empty == {}
