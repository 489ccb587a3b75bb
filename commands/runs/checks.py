"""CreateRun and ReportRunMetrics validation with the KFP 1.8.5 server's rules and messages."""

from __future__ import annotations

import json
import re

from commands.runs.errors import InvalidInput
from commands.runs.messages import CreateRun, PipelineSpec, ResourceRef, RunMetric

CREATE_FAILED = "Validate create run request failed."
METRIC_NAME = "^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$"
MAX_NODE_ID = 128
MAX_PARAMETER_BYTES = 10000
REFERENCE_TYPES = ("EXPERIMENT", "JOB", "PIPELINE", "PIPELINE_VERSION", "NAMESPACE")
RELATIONSHIPS = ("OWNER", "CREATOR")
FINAL = ("Succeeded", "Skipped", "Failed", "Error")
STATUSES = ("Pending", "Running", *FINAL)
NODE_PHASES = (*STATUSES, "Omitted")


def check_create(cmd: CreateRun) -> None:
    if not cmd.name:
        raise InvalidInput("The run name is empty. Please specify a valid name.", CREATE_FAILED)
    _check_spec(cmd.pipeline_spec, _version_of(cmd.resource_references))
    for ref in cmd.resource_references:
        _check_reference(ref)


def _check_spec(spec: PipelineSpec, version: str) -> None:
    manifest = spec.workflow_manifest or spec.pipeline_manifest
    if spec.workflow_manifest and spec.pipeline_manifest:
        _bad("Please don't specify both workflow manifest and pipeline manifest.")
    if manifest and (spec.pipeline_id or version):
        _bad(
            "Please don't specify a pipeline version or pipeline ID when you specify a workflow"
            " manifest or pipeline manifest."
        )
    if not manifest and not spec.pipeline_id and not version:
        _bad(
            "Please specify a pipeline by providing a (workflow manifest or pipeline manifest)"
            " or (pipeline id or/and pipeline version)."
        )
    if spec.workflow_manifest:
        _check_workflow(spec.workflow_manifest)
    if spec.parameters and spec.runtime_config is not None:
        _bad("Please don't specify both parameters and runtime config.")
    size = len(json.dumps([{"name": p.name, "value": p.value} for p in spec.parameters]))
    if spec.parameters and size > MAX_PARAMETER_BYTES:
        _bad(f"The input parameter length exceed maximum size of {MAX_PARAMETER_BYTES}.")


def _check_workflow(manifest: str) -> None:
    """KFP unmarshals the manifest into an Argo Workflow: it must be a JSON object."""
    try:
        workflow = json.loads(manifest)
    except ValueError as exc:
        cause = str(exc)
    else:
        if isinstance(workflow, dict):
            return
        cause = "json: cannot unmarshal into Go value of type util.Workflow"
    external = f"Invalid argo workflow format. Workflow: {manifest}"
    raise InvalidInput(external, CREATE_FAILED, cause)


def _check_reference(ref: ResourceRef) -> None:
    if ref.type not in REFERENCE_TYPES:
        _bad(f"Unrecognized resource reference type: {ref.type or 'UNKNOWN_RESOURCE_TYPE'}")
    if not ref.id:
        _bad("Resource ID is empty. Please specify a valid ID")
    if ref.relationship and ref.relationship not in RELATIONSHIPS:
        _bad(f"Unrecognized relationship: {ref.relationship}")


def _version_of(refs: tuple[ResourceRef, ...]) -> str:
    found = [r.id for r in refs if r.type == "PIPELINE_VERSION" and r.relationship == "CREATOR"]
    return found[0] if found else ""


def _bad(message: str) -> None:
    raise InvalidInput(message, CREATE_FAILED)


def metric_problem(metric: RunMetric) -> str | None:
    """The INVALID_ARGUMENT message for a metric, None when it is valid (value is not checked)."""
    if not re.match(METRIC_NAME, metric.name):
        message = f"metric.name '{metric.name}' doesn't match with the pattern '{METRIC_NAME}'"
    elif not metric.node_id:
        message = "metric.node_id must not be empty"
    elif len(metric.node_id) > MAX_NODE_ID:
        message = (
            f"metric.node_id '{metric.node_id}' cannot be longer than {MAX_NODE_ID} characters"
        )
    else:
        return None
    return InvalidInput.prefix + message


def duplicate_message(metric: RunMetric) -> str:
    return (
        f"Already exist error: same metric has been reported before: {metric.node_id}/{metric.name}"
    )
