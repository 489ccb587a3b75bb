"""Task documents for older API versions, as ClearML conforms them: below 2.9 legacy-typed
hyperparameters and configuration also appear as execution.parameters / model_desc (empty maps
when there are none, as ClearML stores them); below 2.13 models appear as execution.model /
output.model and the container as execution.docker_cmd. The agent calls v2.5, so these matter."""

from __future__ import annotations

from typing import Any

LEGACY = "legacy"
TF_DEFINE = "TF_DEFINE"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def conform(doc: dict[str, Any], version: str) -> dict[str, Any]:
    """The document as a client of `version` expects it (changed in place, returned)."""
    wanted = version_key(version)
    if wanted < (2, 13):
        _legacy_models(doc)
        _docker_cmd(doc)
    if wanted < (2, 9):
        _legacy_params(doc)
    return doc


def _legacy_models(doc: dict[str, Any]) -> None:
    models = doc.get("models") or {}
    if models.get("input"):
        doc.setdefault("execution", {})["model"] = models["input"][0].get("model")
    if models.get("output"):
        doc.setdefault("output", {})["model"] = models["output"][-1].get("model")


def _docker_cmd(doc: dict[str, Any]) -> None:
    container = doc.get("container") or {}
    if not container.get("image"):
        return
    command = " ".join(filter(None, (container.get("image"), container.get("arguments"))))
    doc.setdefault("execution", {})["docker_cmd"] = command


def _legacy_params(doc: dict[str, Any]) -> None:
    params = [
        p
        for section in (doc.get("hyperparams") or {}).values()
        for p in section.values()
        if p.get("type") == LEGACY
    ]
    execution = doc.setdefault("execution", {})
    execution["parameters"] = {_full_name(p): p["value"] for p in params}
    configs = [c for c in (doc.get("configuration") or {}).values() if c.get("type") == LEGACY]
    execution["model_desc"] = {c["name"]: c["value"] for c in configs}


def _full_name(param: dict[str, Any]) -> str:
    if param.get("section") == TF_DEFINE:
        return f"{TF_DEFINE}/{param['name']}"
    return str(param["name"])


def needs_items(only_fields: list[str] | None) -> bool:
    """Whether the requested fields include anything stored as items."""
    if only_fields is None:
        return True
    roots = ("hyperparams", "configuration", "execution", "models", "output")
    return any(f.lstrip("-").split(".")[0] in roots for f in only_fields)


def needs_telemetry(only_fields: list[str] | None) -> bool:
    if only_fields is None:
        return True
    roots = ("last_iteration", "last_update", "last_metrics", "metric_stats")
    return any(f.split(".")[0] in roots for f in only_fields)
