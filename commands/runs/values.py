"""The value records inside run commands and events: parameters, references, specs, metrics,
node progress."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    name: str
    value: str = ""


@dataclass(frozen=True)
class ResourceRef:
    """A resource reference; `type` and `relationship` are the enum names (EXPERIMENT, OWNER)."""

    type: str
    id: str
    name: str = ""
    relationship: str = ""


@dataclass(frozen=True)
class PipelineSpec:
    pipeline_id: str = ""
    pipeline_name: str = ""
    workflow_manifest: str = ""
    pipeline_manifest: str = ""
    parameters: tuple[Parameter, ...] = ()
    runtime_config: str | None = None  # its JSON, echoed as given


@dataclass(frozen=True)
class RunMetric:
    node_id: str
    name: str
    number_value: float = 0.0
    format: str = ""  # RAW, PERCENTAGE; empty for UNSPECIFIED


@dataclass(frozen=True)
class NodeStatus:
    """A node's progress as the taskstream extension reports it (Argo's node status)."""

    id: str
    phase: str
    name: str = ""
    display_name: str = ""
    type: str = "Pod"
    started_at: int = 0
    finished_at: int = 0
    message: str = ""
