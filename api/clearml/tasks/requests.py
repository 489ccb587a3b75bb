"""tasks.create / tasks.edit request fields -> a task patch, as ClearML prepares them for
saving: legacy fields (execution.parameters, model_desc, model, docker_cmd, output.model)
become their modern places, artifacts and models become keyed items, and on edit a given
hyperparams / configuration / artifacts / models list replaces the old one."""

from __future__ import annotations

import copy
from typing import Any

from api.clearml.tasks import legacy
from api.endpoints import version_key
from commands.errors import FieldsValueError, ValidationError
from commands.tasks import patch as tp
from commands.tasks.patch import Patch

SCALARS = ("name", "type", "comment", "parent", "project", "tags", "system_tags")


def build(
    data: dict[str, Any],
    version: str,
    now: int,
    editing: bool,
    previous: dict[str, Any] | None = None,
) -> Patch:
    """The patch of a create or edit; `previous` (the task's hyperparams and configuration) lets
    an edit's legacy fields replace the old legacy items (see `replaces_legacy`)."""
    data = copy.deepcopy(data)
    patch = Patch()
    for name in SCALARS:
        if name in data:
            patch.set[name] = data[name]
    _check_tags(data)
    modern = version_key(version) >= (2, 13)
    execution = _dict(data, "execution")
    output = _dict(data, "output")
    if "output_dest" in data:
        output["destination"] = data["output_dest"]
    models = _dict(data, "models")
    if not modern:
        _legacy_models(execution, output, models, now)
        _legacy_docker(execution, data)
    replaced = legacy.take(execution, data, patch)
    artifacts = execution.pop("artifacts", None)
    execution.pop("queue", None)  # the queue column is the decider's
    _documents(data, patch, execution, output)
    _items(data, patch, artifacts=artifacts, models=models, now=now, editing=editing)
    if editing and previous:
        patch.drop += legacy.drops(replaced, patch, previous)
    return patch


def replaces_legacy(data: dict[str, Any]) -> bool:
    """Whether an edit carries legacy fields, whose build needs the task's previous items."""
    execution = data.get("execution")
    return isinstance(execution, dict) and bool({"parameters", "model_desc"} & execution.keys())


def _dict(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"field '{name}' must be an object")
    return value


def _check_tags(data: dict[str, Any]) -> None:
    for name in ("tags", "system_tags"):
        values = data.get(name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValidationError(f"field '{name}' must be a list of strings")
        bad = [v for v in values if v.startswith("__$")]
        if bad:
            raise FieldsValueError("unsupported tag prefix", values=bad)


def _legacy_models(execution: dict, output: dict, models: dict, now: int) -> None:
    for kind, source, name in (
        ("input", execution, "Input Model"),
        ("output", output, "Output Model"),
    ):
        model = source.pop("model", None)
        if model is not None:
            models[kind] = [{"name": name, "model": model, "updated": now}] if model else []


def _legacy_docker(execution: dict, data: dict) -> None:
    docker_cmd = execution.pop("docker_cmd", None)
    if docker_cmd is not None:
        image, _, arguments = docker_cmd.partition(" ")
        data["container"] = {
            **(data.get("container") or {}),
            "image": image,
            "arguments": arguments,
        }


def _documents(data: dict, patch: Patch, execution: dict, output: dict) -> None:
    script = _dict(data, "script")
    for name, value in (("script", script), ("execution", execution), ("output", output)):
        if value:
            patch.merge[name] = value
    for name in tp.REPLACED:
        if name in data:
            patch.replace[name] = _dict(data, name) or None


def _items(
    data: dict, patch: Patch, *, artifacts: Any, models: dict, now: int, editing: bool
) -> None:
    hyperparams = data.get("hyperparams")
    if hyperparams is not None:
        patch.clear += [(tp.HYPERPARAMS, None)] if editing else []
        patch.put += tp.hyperparam_items(_checked(hyperparams, "hyperparams"))
    configuration = data.get("configuration")
    if configuration is not None:
        patch.clear += [(tp.CONFIGURATION, None)] if editing else []
        patch.put += tp.configuration_items(_checked(configuration, "configuration"))
    if artifacts is not None:
        patch.clear += [(tp.ARTIFACT, None)] if editing else []
        patch.put += tp.artifact_items(checked_list(artifacts, "execution.artifacts", ("key",)))
    for kind in ("input", "output"):
        if kind in models:
            checked_list(models[kind] or [], f"models.{kind}", ("name", "model"))
            patch.clear += [(tp.MODEL, kind)] if editing else []
    if models:
        patch.put += tp.model_items(models, now)


def _checked(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f"field '{name}' must be an object")
    for key in value:
        if not key:
            raise ValidationError(f"Empty {name} name is not allowed")
    return value


def checked_list(value: Any, name: str, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """A list of objects, each with the required keys."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError(f"field '{name}' must be a list of objects")
    for item in value:
        missing = [key for key in required if not item.get(key)]
        if missing:
            raise ValidationError(f"items of '{name}' need {', '.join(missing)}")
    return value
