"""ClearML request bodies: drawn from an endpoint's schema, or that schema's bodies broken.

Ids the schema names (task, queue, project, worker) are often replaced by the fuzz world's real
ones, so requests get past "not found" into the handlers and the worker.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from api.schemas import request_schema
from tests.fuzz.values import EXTREME_INTS, bad_value, encode, not_an_object
from tests.fuzz.world import World

Schema = dict[str, Any]


@cache
def _valid(name: str) -> st.SearchStrategy[Any]:
    return from_schema(request_schema(name))


def valid(name: str, world: World) -> st.SearchStrategy[bytes]:
    """A body the schema accepts, its ids made real more often than not."""
    schema = request_schema(name)
    return st.tuples(_valid(name), st.booleans()).map(
        lambda drawn: encode(with_ids(drawn[0], schema, world) if drawn[1] else drawn[0])
    )


def invalid(name: str, world: World) -> st.SearchStrategy[bytes]:
    """A body with one field wrong, an unknown field, or no JSON object at all."""
    schema = request_schema(name)
    base = with_ids(minimal(schema), schema, world)
    fields = sorted(schema.get("properties", {})) or ["task"]
    one_wrong = st.tuples(st.sampled_from(fields), bad_value()).map(
        lambda kv: encode({**base, kv[0]: kv[1]})
    )
    unknown = st.tuples(st.text(max_size=10), bad_value()).map(
        lambda kv: encode({**base, f"x-{kv[0]}": kv[1]})
    )
    inner = nested_fields(schema)
    nested_wrong = st.tuples(st.sampled_from(inner or [("", "", False)]), bad_value()).map(
        lambda pv: encode({**base, **_nested(*pv[0], pv[1])} if pv[0][0] else base)
    )
    return st.one_of(one_wrong, nested_wrong, unknown, not_an_object())


def nested_fields(schema: Schema) -> list[tuple[str, str, bool]]:
    """(field, inner field, in a list) for each field of an object or a list of objects; an
    empty inner field for a map's entries."""
    found = []
    for name, inner in schema.get("properties", {}).items():
        items = inner.get("items") if isinstance(inner.get("items"), dict) else {}
        found += [(name, sub, False) for sub in inner.get("properties", {})]
        found += [(name, sub, True) for sub in items.get("properties", {})]
        if isinstance(inner.get("additionalProperties"), dict):
            found.append((name, "", False))
    return found


def _nested(name: str, sub: str, in_list: bool, value: Any) -> dict[str, Any]:
    inner = {sub or "entry": value}
    return {name: [inner] if in_list else inner}


def minimal(schema: Schema) -> dict[str, Any]:
    """The required fields, each with a plain value of its type."""
    properties = schema.get("properties", {})
    return {key: _plain(properties.get(key, {})) for key in schema.get("required", [])}


def with_ids(body: Any, schema: Schema, world: World) -> Any:
    """The body with each id field the schema declares set to the world's object."""
    if not isinstance(body, dict):
        return body
    properties = schema.get("properties", {})
    real = {k: _shaped(v, properties[k]) for k, v in world.ids().items() if k in properties}
    return {**body, **real}


def _shaped(value: str, schema: Schema) -> Any:
    kinds = schema.get("type", "string")
    return value if "string" in kinds else [value]


def _plain(schema: Schema) -> Any:
    kinds = schema.get("type", "string")
    kind = kinds if isinstance(kinds, str) else kinds[0]
    if "enum" in schema:
        return schema["enum"][0]
    return {"string": "fuzz", "integer": 1, "number": 1, "boolean": True, "array": [],
            "object": {}, "null": None}[kind]  # fmt: skip


def query(name: str) -> st.SearchStrategy[dict[str, str]]:
    """Query parameters, which ClearML merges into the body: the schema's fields, odd values."""
    fields = sorted(request_schema(name).get("properties", {})) or ["task"]
    odd = st.one_of(st.text(max_size=20), st.sampled_from([str(i) for i in EXTREME_INTS]))
    return st.dictionaries(st.sampled_from(fields), odd, max_size=3)
