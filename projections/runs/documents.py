"""KFP run JSON as the 1.8.5 server writes it (grpc-gateway, OrigName, EmitDefaults off):
snake_case, zero values omitted, timestamps RFC 3339 at whole seconds, 1970 while unset."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from commands.runs.book import ARCHIVED
from commands.runs.messages import NodeStatus, PipelineSpec, ResourceRef, RunMetric

SEP = "\x1f"


def rfc3339(seconds: int | None) -> str:
    return datetime.fromtimestamp(seconds or 0, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def number(value: float) -> Any:
    """A double as Go's protobuf JSON writes it: integral values without a fraction."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return int(value) if value.is_integer() and abs(value) < 1e21 else value


def spec_json(spec: PipelineSpec) -> dict[str, Any]:
    out: dict[str, Any] = _present(
        pipeline_id=spec.pipeline_id,
        pipeline_name=spec.pipeline_name,
        workflow_manifest=spec.workflow_manifest,
        pipeline_manifest=spec.pipeline_manifest,
    )
    if spec.parameters:
        out["parameters"] = [_present(name=p.name, value=p.value) for p in spec.parameters]
    if spec.runtime_config is not None:
        out["runtime_config"] = json.loads(spec.runtime_config)
    return out


def refs_json(refs: tuple[ResourceRef, ...]) -> list[dict[str, Any]]:
    return [
        {"key": {"type": r.type, "id": r.id}, **_present(name=r.name, relationship=r.relationship)}
        for r in refs
    ]


def metric_json(metric: RunMetric) -> dict[str, Any]:
    out = {
        "name": metric.name,
        "node_id": metric.node_id,
        "number_value": number(metric.number_value),
    }
    if metric.format and metric.format != "UNSPECIFIED":
        out["format"] = metric.format
    return out


def node_json(node: NodeStatus) -> dict[str, Any]:
    """An Argo node status, as a workflow's status.nodes holds it."""
    out: dict[str, Any] = {
        "id": node.id,
        "name": node.name or node.id,
        "displayName": node.display_name or node.name or node.id,
        "type": node.type,
        "phase": node.phase,
    }
    if node.started_at:
        out["startedAt"] = rfc3339(node.started_at)
    if node.finished_at:
        out["finishedAt"] = rfc3339(node.finished_at)
    if node.message:
        out["message"] = node.message
    return out


def run(row: dict[str, Any]) -> dict[str, Any]:
    """A stored kfp_runs row as an api.Run."""
    out: dict[str, Any] = {"id": row["id"], **_present(name=row.get("name"))}
    if row.get("storage_state") == ARCHIVED:
        out["storage_state"] = ARCHIVED
    out |= _present(description=row.get("description"))
    spec = json.loads(row.get("pipeline_spec") or "{}")
    refs = json.loads(row.get("resource_references") or "[]")
    out |= _present(pipeline_spec=spec, resource_references=refs)
    out |= _present(service_account=row.get("service_account"))
    for field in ("created_at", "scheduled_at", "finished_at"):
        out[field] = rfc3339(row.get(field))
    out |= _present(status=row.get("status"), error=row.get("error"))
    metrics = row.get("metrics") or {}
    if metrics:
        out["metrics"] = [json.loads(metrics[k]) for k in sorted(metrics)]
    return out


def detail(row: dict[str, Any]) -> dict[str, Any]:
    """An api.RunDetail: the run and its runtime, an Argo-like workflow JSON of our nodes."""
    manifest = json.dumps(workflow(row), separators=(",", ":"))
    return {"run": run(row), "pipeline_runtime": {"workflow_manifest": manifest}}


def workflow(row: dict[str, Any]) -> dict[str, Any]:
    nodes = {k: json.loads(v) for k, v in sorted((row.get("nodes") or {}).items())}
    status: dict[str, Any] = {"phase": row.get("status") or "", "nodes": nodes}
    status["startedAt"] = rfc3339(row.get("created_at"))
    if row.get("finished_at"):
        status["finishedAt"] = rfc3339(row["finished_at"])
    meta = {
        "name": row.get("name") or "",
        "uid": row["id"],
        "creationTimestamp": status["startedAt"],
    }
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": meta,
        "status": status,
    }


def _present(**fields: Any) -> dict[str, Any]:
    """Only the fields with a non-zero value, as EmitDefaults=false marshals."""
    return {k: v for k, v in fields.items() if v not in (None, "", [], {}, 0)}
