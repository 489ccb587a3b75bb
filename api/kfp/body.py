"""Request bodies and query values as grpc-gateway reads them: JSON with snake or lowerCamel
names, enums by name or number, unknown fields ignored; shape errors are InvalidArgument."""

from __future__ import annotations

import json
import re
from typing import Any

from api import jsonload
from commands.limits import MAX_COMMAND_BYTES, MAX_INT, MAX_KEY_CHARS, MAX_TEXT_CHARS
from commands.runs.errors import InvalidInput
from commands.runs.messages import CreateRun
from commands.runs.values import NodeStatus, Parameter, PipelineSpec, ResourceRef, RunMetric

REFERENCE_TYPES = (
    "UNKNOWN_RESOURCE_TYPE",
    "EXPERIMENT",
    "JOB",
    "PIPELINE",
    "PIPELINE_VERSION",
    "NAMESPACE",
)
RELATIONSHIPS = ("UNKNOWN_RELATIONSHIP", "OWNER", "CREATOR")
FORMATS = ("UNSPECIFIED", "RAW", "PERCENTAGE")
MAPS = ("runtime_config",)  # map fields whose keys are the user's, kept as they are


def parse_json(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_COMMAND_BYTES:  # what one run document may hold (commands/limits.py)
        raise InvalidInput(f"the request body is larger than {MAX_COMMAND_BYTES} bytes")
    if not raw.strip():
        return {}
    try:
        data = jsonload.loads(raw)
    except ValueError as exc:
        raise InvalidInput(f"invalid character in request body: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object")
    return snake(data)


def snake(value: Any) -> Any:
    if isinstance(value, list):
        return [snake(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for name, item in value.items():
        key = re.sub(r"([A-Z])", lambda m: "_" + m[1].lower(), name)
        out[key] = item if key in MAPS else snake(item)
    return out


def enum(value: Any, names: tuple[str, ...], what: str) -> str:
    if value is None:
        return names[0]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    if isinstance(value, str) and value in names:
        return value
    raise InvalidInput(f"unknown value {value!r} for enum {what}")


def text(data: dict[str, Any], name: str, limit: int = MAX_KEY_CHARS) -> str:
    """A string field; names and ids are key parts (short), manifests and descriptions long."""
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"field {name} must be a string")
    if len(value) > limit:
        raise InvalidInput(f"field {name} has {len(value)} characters, more than {limit}")
    return value


def objects(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(f"field {name} must be a list of objects")
    return value


def create_run(data: dict[str, Any]) -> CreateRun:
    spec = data.get("pipeline_spec") or {}
    if not isinstance(spec, dict):
        raise InvalidInput("field pipeline_spec must be an object")
    config = spec.get("runtime_config")
    return CreateRun(
        name=text(data, "name"),
        description=text(data, "description", MAX_TEXT_CHARS),
        service_account=text(data, "service_account"),
        resource_references=tuple(_reference(r) for r in objects(data, "resource_references")),
        pipeline_spec=PipelineSpec(
            pipeline_id=text(spec, "pipeline_id"),
            pipeline_name=text(spec, "pipeline_name"),
            workflow_manifest=text(spec, "workflow_manifest", MAX_TEXT_CHARS),
            pipeline_manifest=text(spec, "pipeline_manifest", MAX_TEXT_CHARS),
            parameters=tuple(
                Parameter(text(p, "name"), text(p, "value", MAX_TEXT_CHARS))
                for p in objects(spec, "parameters")
            ),
            runtime_config=None if config is None else _config(config),
        ),
    )


def _config(config: Any) -> str:
    text = json.dumps(config)
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"field pipeline_spec.runtime_config is larger than {MAX_TEXT_CHARS}")
    return text


def _reference(data: dict[str, Any]) -> ResourceRef:
    key = data.get("key") or {}
    if not isinstance(key, dict):
        raise InvalidInput("field resource_references.key must be an object")
    kind = enum(key.get("type"), REFERENCE_TYPES, "api.ResourceType")
    relationship = enum(data.get("relationship"), RELATIONSHIPS, "api.Relationship")
    relationship = "" if relationship == RELATIONSHIPS[0] else relationship
    return ResourceRef(kind, text(key, "id"), text(data, "name"), relationship)


def metrics(data: dict[str, Any]) -> tuple[RunMetric, ...]:
    return tuple(_metric(m) for m in objects(data, "metrics"))


def _metric(data: dict[str, Any]) -> RunMetric:
    value = data.get("number_value", 0)
    if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
        value = float(value.replace("Infinity", "inf"))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput("field number_value must be a number")
    fmt = enum(data.get("format"), FORMATS, "api.RunMetric_Format")
    return RunMetric(
        text(data, "node_id"), text(data, "name"), float(value), "" if fmt == FORMATS[0] else fmt
    )


def nodes(data: dict[str, Any]) -> tuple[NodeStatus, ...]:
    return tuple(
        NodeStatus(
            id=text(n, "id"),
            phase=text(n, "phase"),
            name=text(n, "name"),
            display_name=text(n, "display_name"),
            type=text(n, "type") or "Pod",
            started_at=_seconds(n.get("started_at")),
            finished_at=_seconds(n.get("finished_at")),
            message=text(n, "message", MAX_TEXT_CHARS),
        )
        for n in objects(data, "nodes")
    )


def _seconds(value: Any) -> int:
    """Epoch seconds, or an RFC 3339 string."""
    if value in (None, ""):
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT:
        return value
    from datetime import datetime

    try:
        return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())
    except (ValueError, OverflowError):
        raise InvalidInput(f"bad timestamp {str(value)[:100]!r}") from None
