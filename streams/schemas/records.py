"""Messages <-> Avro record dicts: the envelope, and dataclasses rebuilt from decoded records."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from commands.base import Envelope, Message


@dataclass(frozen=True)
class Record:
    """A decoded message with its envelope and the record-level extras (reply_to, reply)."""

    envelope: Envelope
    message: Message
    extras: dict[str, Any]


def to_record(envelope: Envelope, message: Message, **extras: Any) -> dict[str, Any]:
    body = {name: _plain(getattr(message, name)) for name in _names(type(message))}
    # the envelope holds plain values only: no recursion, no copies (dataclasses.asdict
    # deep-copies every value, a measurable share of a command's encoding)
    plain_envelope = {name: getattr(envelope, name) for name in _names(Envelope)}
    return {"envelope": plain_envelope, **extras, **body}


@cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_record(classes: dict[str, type[Message]], name: str, record: dict[str, Any]) -> Record:
    cls = classes[name]
    fields = _converters(cls)
    extras = {k: v for k, v in record.items() if k != "envelope" and k not in fields}
    return Record(envelope_of(record), build(cls, record), extras)


def envelope_of(record: dict[str, Any]) -> Envelope:
    raw_env = dict(record["envelope"])
    raw_env["occurred_at"] = _millis(raw_env["occurred_at"])
    return Envelope(**raw_env)


def build(cls: type, data: dict[str, Any]) -> Any:
    """A dataclass from a record dict, turning arrays into tuples and records into dataclasses."""
    convert = _converters(cls)
    return cls(**{name: fn(data[name]) for name, fn in convert.items() if name in data})


@cache
def _converters(cls: type) -> dict[str, typing.Callable[[Any], Any]]:
    hints = typing.get_type_hints(cls)
    return {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls)}


def _converter(hint: Any) -> typing.Callable[[Any], Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        inner = _converter(next(a for a in args if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if origin in (tuple, list, set, frozenset):
        return _collection(tuple if origin is list else origin, _converter(args[0]))
    if origin is dict:
        value = _converter(args[1])
        return lambda v: {k: value(x) for k, x in v.items()}
    if dataclasses.is_dataclass(hint):
        return lambda v: build(hint, v)  # type: ignore[arg-type]
    return _identity


def _collection(make: Any, item: typing.Callable[[Any], Any]) -> typing.Callable[[Any], Any]:
    if item is _identity:  # arrays of plain values: no per-item call (telemetry volume)
        return make  # type: ignore[no-any-return]
    return lambda v: make(item(x) for x in v)


def _identity(value: Any) -> Any:
    return value


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _names(type(value))}
    if isinstance(value, tuple | list):
        if not value or type(value[0]) in _PRIMITIVE:  # telemetry arrays: no per-item call
            return list(value)
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


_PRIMITIVE = frozenset((int, float, str, bytes, bool))


def _millis(value: int | datetime) -> int:
    if isinstance(value, datetime):
        return int(value.replace(tzinfo=value.tzinfo or UTC).timestamp() * 1000)
    return value
