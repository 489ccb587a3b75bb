"""models.* request bodies to the field changes model commands carry, checked as ClearML does."""

from __future__ import annotations

from typing import Any

import orjson

from api import fields
from commands.errors import ValidationError

DOCUMENTS = ("comment", "tags", "framework", "design", "labels", "parent", "metadata")
EDIT_FIELDS = (
    *("uri", "name", "comment", "tags", "system_tags", "framework", "design", "labels"),
    *("ready", "project", "parent", "task", "iteration", "metadata"),
)
UPDATE_FIELDS = (
    *("name", "comment", "tags", "system_tags", "ready", "project", "task", "iteration"),
    "metadata",
)


def changes(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The given fields (nulls dropped, as the SDK sends none), checked and normalised."""
    out = {name: data[name] for name in allowed if data.get(name) is not None}
    for name in ("tags", "system_tags"):
        if name in out:
            out[name] = list(fields.strings(out, name) or ())
    if "labels" in out:
        out["labels"] = labels(out["labels"])
    if "metadata" in out:
        out["metadata"] = metadata(out["metadata"])
    if "ready" in out:
        out["ready"] = fields.boolean(out, "ready")
    if "design" in out and not isinstance(out["design"], dict):
        raise ValidationError("field 'design' must be an object")
    return out


def documents(data: dict[str, Any]) -> str:
    """The JSON of the documents a models.create carries beyond the typed fields."""
    return orjson.dumps(changes(data, DOCUMENTS)).decode()


def labels(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValidationError("field 'labels' must be an object")
    for key, number in value.items():
        if not isinstance(key, str) or isinstance(number, bool) or not isinstance(number, int):
            raise ValidationError("labels map strings to integers", labels=value)
    return value


def metadata(value: Any) -> dict[str, dict[str, Any]]:
    """Metadata as {key: {key, type, value}}, from that map or from a list of items."""
    items = list(value.values()) if isinstance(value, dict) else value
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("key") for i in items):
        raise ValidationError("metadata items need a key")
    return {str(item["key"]): {**item, "key": str(item["key"])} for item in items}
