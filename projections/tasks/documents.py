"""A task as the ClearML server returns it, assembled from its row, its items and (merged by the
caller) its telemetry; absent fields are left out, as MongoDB leaves them out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from commands.tasks.patch import ARTIFACT, CONFIGURATION, HYPERPARAMS, MODEL
from projections.timefmt import iso

TIMES = (
    "status_changed",
    "created",
    "started",
    "completed",
    "published",
    "last_worker_report",
    "last_update",
    "last_change",
)
PLAIN = (
    "id",
    "name",
    "type",
    "status",
    "status_reason",
    "status_message",
    "comment",
    "active_duration",
    "parent",
    "project",
    "company",
    "last_worker",
    "last_changed_by",
)
SCRIPT_DEFAULTS = {"binary": "python", "repository": "", "entry_point": ""}


def to_api(row: dict[str, Any], items: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {name: row.get(name) for name in PLAIN}
    doc.update({name: iso(row.get(name)) for name in TIMES})
    doc["user"] = row.get("user_id")
    doc["tags"] = sorted(row.get("tags") or [])
    doc["system_tags"] = sorted(row.get("system_tags") or [])
    doc["last_iteration"] = 0
    doc["script"] = {**SCRIPT_DEFAULTS, "requirements": {}, **_document(row.get("script"))}
    doc["execution"] = _document(row.get("execution"))
    if row.get("queue"):
        doc["execution"]["queue"] = row["queue"]
    for name in ("output", "container", "runtime"):
        doc[name] = _document(row.get(name))
    doc["models"] = {"input": [], "output": []}
    if items is not None:
        _add_items(doc, items)
    return {k: v for k, v in doc.items() if v is not None}


def _document(mapping: dict[str, str] | None) -> dict[str, Any]:
    return {key: orjson.loads(value) for key, value in (mapping or {}).items()}


def _add_items(doc: dict[str, Any], items: Iterable[dict[str, Any]]) -> None:
    hyperparams: dict[str, dict[str, Any]] = {}
    configuration: dict[str, Any] = {}
    artifacts: list[dict[str, Any]] = []
    models: dict[str, list[dict[str, Any]]] = {"input": [], "output": []}
    for item in items:
        value = orjson.loads(item["value"])
        kind = item["kind"]
        if kind == HYPERPARAMS:
            hyperparams.setdefault(item["section"], {})[item["name"]] = value
        elif kind == CONFIGURATION:
            configuration[item["section"]] = value
        elif kind == ARTIFACT:  # mode is keyed as item["section"]; ClearML always returns it
            artifacts.append({**value, "mode": item["section"]})
        elif kind == MODEL:
            models.setdefault(item["section"], []).append(value)
    # ClearML's task model defaults these to empty maps (artifacts: a map answered as a list);
    # the SDK's task.delete() reads execution["artifacts"] unguarded
    doc["hyperparams"] = hyperparams
    doc["configuration"] = configuration
    doc["execution"]["artifacts"] = sorted(artifacts, key=lambda a: (a.get("key", ""), a["mode"]))
    doc["models"] = {kind: _model_list(entries) for kind, entries in models.items()}


def _model_list(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ordered = sorted(entries, key=lambda m: (m.get("seq", 0), m.get("updated") or 0))
    return [
        {
            k: (iso(v) if k == "updated" and isinstance(v, int) else v)
            for k, v in m.items()
            if k != "seq"
        }
        for m in ordered
    ]


def hyperparams_list(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """tasks.get_hyper_params: every parameter, sorted by section and name."""
    params = [p for section in (doc.get("hyperparams") or {}).values() for p in section.values()]
    return sorted(params, key=lambda p: (p.get("section", ""), p.get("name", "")))
