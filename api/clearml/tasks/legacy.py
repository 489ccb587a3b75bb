"""Legacy task fields written as ClearML saves them: flat `execution.parameters`
("Section/name" -> value) become 'legacy'-typed hyperparameters (section Args, or TF_DEFINE for
"TF_DEFINE/name"), `execution.model_desc` 'legacy'-typed configuration items. Given with
`hyperparams` / `configuration` they join them; alone on an edit they replace the task's
previous legacy items and leave the others be."""

from __future__ import annotations

from typing import Any

from commands.errors import ValidationError
from commands.tasks import patch as tp
from commands.tasks.patch import Patch

LEGACY = "legacy"
DEFAULT_SECTION = "Args"
TF_DEFINE = "TF_DEFINE"
Key = tuple[str, str, str]  # (kind, section, name) of an item


def take(execution: dict[str, Any], data: dict[str, Any], patch: Patch) -> list[str]:
    """Put the legacy fields of `execution` (removed from it) into the patch as items; the
    kinds whose previous legacy items they replace (see `drops`)."""
    replaced = []
    params = execution.pop("parameters", None)
    if params is not None:
        patch.put += [_param(name, value) for name, value in _mapping(params, "parameters").items()]
        replaced += [tp.HYPERPARAMS] if "hyperparams" not in data else []
    descriptions = execution.pop("model_desc", None)
    if descriptions is not None:
        for name, value in _mapping(descriptions, "model_desc").items():
            item = {"name": name, "type": LEGACY, "value": str(value)}
            patch.put.append((tp.CONFIGURATION, name, "", item))
        replaced += [tp.CONFIGURATION] if "configuration" not in data else []
    return replaced


def drops(kinds: list[str], patch: Patch, previous: dict[str, Any]) -> list[Key]:
    """The previous legacy items of these kinds, except those the patch puts again (drops are
    applied after puts)."""
    out = []
    if tp.HYPERPARAMS in kinds:
        params = (p for s in (previous.get("hyperparams") or {}).values() for p in s.values())
        out += [(tp.HYPERPARAMS, p["section"], p["name"]) for p in params if _legacy(p)]
    if tp.CONFIGURATION in kinds:
        items = (previous.get("configuration") or {}).values()
        out += [(tp.CONFIGURATION, c["name"], "") for c in items if _legacy(c)]
    put = {(kind, section, name) for kind, section, name, _ in patch.put}
    return [key for key in out if key not in put]


def _param(full_name: str, value: Any) -> tuple[str, str, str, Any]:
    section, _, name = full_name.partition("/")
    if section != TF_DEFINE:
        section, name = DEFAULT_SECTION, full_name
    elif not name:
        raise ValidationError("Parameter name cannot be empty")
    item = {"section": section, "name": name, "type": LEGACY, "value": str(value)}
    return (tp.HYPERPARAMS, section, name, item)


def _mapping(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f"field 'execution.{name}' must be an object")
    return value


def _legacy(item: Any) -> bool:
    return isinstance(item, dict) and item.get("type") == LEGACY
