"""Run JSON shaped as the KFP 1.8.5 server writes it."""

import json

from commands.runs.values import Parameter, PipelineSpec, ResourceRef, RunMetric
from projections.runs import documents


def row(**changes):
    base = {
        "id": "r1",
        "name": "n",
        "description": "",
        "pipeline_spec": json.dumps(
            documents.spec_json(
                PipelineSpec(workflow_manifest="{}", parameters=(Parameter("a", ""),))
            )
        ),
        "resource_references": json.dumps(
            documents.refs_json((ResourceRef("EXPERIMENT", "e", "", "OWNER"),))
        ),
        "service_account": "",
        "created_at": 1609459200,
        "scheduled_at": 0,
        "finished_at": 0,
        "status": "",
        "storage_state": "STORAGESTATE_AVAILABLE",
        "error": None,
        "metrics": None,
        "nodes": None,
    }
    return {**base, **changes}


def test_defaults_are_omitted_and_unset_times_are_1970():
    assert documents.run(row()) == {
        "id": "r1",
        "name": "n",
        "pipeline_spec": {"workflow_manifest": "{}", "parameters": [{"name": "a"}]},
        "resource_references": [
            {"key": {"type": "EXPERIMENT", "id": "e"}, "relationship": "OWNER"}
        ],
        "created_at": "2021-01-01T00:00:00Z",
        "scheduled_at": "1970-01-01T00:00:00Z",
        "finished_at": "1970-01-01T00:00:00Z",
    }


def test_archived_status_and_metrics_appear():
    metric = documents.metric_json(RunMetric("n1", "acc", 1.0, "PERCENTAGE"))
    out = documents.run(
        row(
            storage_state="STORAGESTATE_ARCHIVED",
            status="Failed",
            metrics={"n1\x1facc": json.dumps(metric)},
        )
    )
    assert out["storage_state"] == "STORAGESTATE_ARCHIVED"
    assert out["status"] == "Failed"
    assert out["metrics"] == [
        {"name": "acc", "node_id": "n1", "number_value": 1, "format": "PERCENTAGE"}
    ]


def test_a_zero_metric_keeps_its_value_and_drops_an_unspecified_format():
    assert documents.metric_json(RunMetric("n", "m", 0.0)) == {
        "name": "m",
        "node_id": "n",
        "number_value": 0,
    }
    assert documents.number(float("nan")) == "NaN"


def test_detail_carries_an_argo_like_runtime_manifest():
    detail = documents.detail(
        row(status="Running", nodes={"x": json.dumps({"id": "x", "phase": "Running"})})
    )
    workflow = json.loads(detail["pipeline_runtime"]["workflow_manifest"])
    assert workflow["status"]["phase"] == "Running"
    assert workflow["status"]["nodes"]["x"]["phase"] == "Running"
