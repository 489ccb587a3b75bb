"""Avro schemas derived from the message dataclasses; avro/ holds the committed result.

The dataclasses in commands/ are the single source of a message's shape. `generate()` turns
them into `<namespace>.<Name>.avsc` documents, `write()` refreshes avro/, and a unit test fails
when the committed files drift from the code. Mapping: str string, int long, float double,
bool boolean, bytes bytes, X | None a union with null first, tuple[X, ...] array, dict[str, X]
map, a nested dataclass a record of the same namespace.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any

from commands.base import Message

ENVELOPE = "taskstream.Envelope"
REPLY = "taskstream.Reply"
PRIMITIVES = {str: "string", int: "long", float: "double", bool: "boolean", bytes: "bytes"}


def envelope_schema() -> dict[str, Any]:
    """The envelope every command, event and telemetry record carries."""
    nullable = [("aggregate_version", "long"), ("command_id", "string"), ("request_id", "string")]
    return {
        "type": "record",
        "name": "Envelope",
        "namespace": "taskstream",
        "doc": "Who did what to which aggregate, when, and because of which command.",
        "fields": [
            *({"name": n, "type": "string"} for n in ("event_id", "type", "company", "user")),
            {"name": "aggregate_type", "type": "string"},
            {"name": "aggregate_id", "type": "string"},
            *({"name": n, "type": ["null", t], "default": None} for n, t in nullable),
            {"name": "occurred_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        ],
    }


def reply_schema() -> dict[str, Any]:
    """The decider's answer to one command, read by the API instance that sent it."""
    return {
        "type": "record",
        "name": "Reply",
        "namespace": "taskstream",
        "doc": "Outcome of a command: result code 200 with data, or a rejection.",
        "fields": [
            {"name": "command_id", "type": "string"},
            {"name": "code", "type": "int"},
            {"name": "subcode", "type": "int"},
            {"name": "message", "type": "string"},
            {"name": "data", "type": "string", "doc": "JSON of the reply data or error data"},
        ],
    }


def message_schema(cls: type[Message]) -> dict[str, Any]:
    """The record schema of one message class, envelope first."""
    extra: list[dict[str, Any]] = []
    if cls.NAMESPACE == "taskstream.command":
        extra = [{"name": "reply_to", "type": ["null", "int"], "default": None}]
    elif cls.NAMESPACE == "taskstream.event":
        extra = [
            {"name": "reply", "type": ["null", "string"], "default": None},
            {
                "name": "command",
                "type": ["null", "string"],
                "default": None,
                "doc": "type of the command that caused the event",
            },
        ]
    body = _record(cls, cls.NAMESPACE, set())
    body["fields"] = [{"name": "envelope", "type": ENVELOPE}, *extra, *body["fields"]]
    if cls.COMPATIBILITY != "backward":  # what `taskstream schemas check` holds changes to
        body["compatibility"] = cls.COMPATIBILITY
    return body


def generate(classes: typing.Iterable[type[Message]]) -> dict[str, dict[str, Any]]:
    """Every schema document by full name: the envelope, the reply and one per message class."""
    docs = {ENVELOPE: envelope_schema(), REPLY: reply_schema()}
    docs.update({cls.avro_name(): message_schema(cls) for cls in classes})
    return docs


def write(classes: typing.Iterable[type[Message]], schema_dir: Path) -> list[Path]:
    """Refresh the committed .avsc files; returns the files that changed."""
    changed = []
    for name, doc in generate(classes).items():
        path = schema_dir / f"{name}.avsc"
        text = json.dumps(doc, indent=2) + "\n"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            changed.append(path)
    return changed


def _record(cls: type, namespace: str, seen: set[str]) -> dict[str, Any]:
    seen.add(cls.__name__)
    hints = typing.get_type_hints(cls)
    fields = [_field(f, hints[f.name], namespace, seen) for f in dataclasses.fields(cls)]
    doc = {"type": "record", "name": cls.__name__, "namespace": namespace, "fields": fields}
    if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
        doc["doc"] = " ".join(cls.__doc__.split())
    return doc


def _field(f: dataclasses.Field[Any], hint: Any, namespace: str, seen: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "type": _type(hint, namespace, seen)}
    if f.default is not dataclasses.MISSING:
        out["default"] = _default(f.default)
    elif f.default_factory is not dataclasses.MISSING:
        out["default"] = _default(f.default_factory())
    return out


def _type(hint: Any, namespace: str, seen: set[str]) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        others = [a for a in args if a is not type(None)]
        return ["null", *(_type(a, namespace, seen) for a in others)]
    if origin in (tuple, list):
        return {"type": "array", "items": _type(args[0], namespace, seen)}
    if origin is dict:
        return {"type": "map", "values": _type(args[1], namespace, seen)}
    if hint in PRIMITIVES:
        return PRIMITIVES[hint]
    if dataclasses.is_dataclass(hint):
        if hint.__name__ in seen:
            return f"{namespace}.{hint.__name__}"
        return _record(hint, namespace, seen)
    raise TypeError(f"no Avro mapping for {hint!r}")


def _default(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


if (
    __name__ == "__main__"
):  # python -m streams.schemas.derive: refresh avro/ after changing messages
    from config.settings import load
    from streams.schemas import catalog

    for changed in write(catalog.message_classes(), load().schema_dir):
        print(f"wrote {changed}")
