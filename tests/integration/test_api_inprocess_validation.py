"""Every endpoint's request schema (api/schemas/) runs before its handler, against the real app
in process: one field of the wrong type, on an otherwise minimal body, is a 400/12 naming that
field for every endpoint that has a schema; a missing required field is a 400/11 naming it.
The cases are drawn from the schemas, so a new endpoint is covered the day it gets one."""

from __future__ import annotations

from typing import Any

import pytest

from api import schemas
from api.server import registry
from tests.integration.edge_app import meta

pytestmark = pytest.mark.integration
PYTHON = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
PYTHON |= {"object": dict, "array": list, "null": type(None)}
WRONG = ("a-string", {"an": "object"}, ["a", "list"])


def kinds(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def minimal(schema: dict[str, Any]) -> Any:
    """A small value this schema accepts."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = (kinds(schema) or ["string"])[0]
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: minimal(properties.get(name, {})) for name in schema.get("required", ())}
    if kind in ("integer", "number"):
        return max(0, schema.get("minimum", 0))
    return {"string": "x", "boolean": False, "array": []}.get(kind)


def wrong_for(schema: dict[str, Any]) -> Any | None:
    """A value none of the schema's types takes (None if it takes them all)."""
    taken = tuple(PYTHON[kind] for kind in kinds(schema))
    return next((value for value in WRONG if taken and not isinstance(value, taken)), None)


def cases() -> list[tuple[str, dict[str, Any], str]]:
    served = set(registry().names())
    found = []
    for name in schemas.endpoint_names():
        schema = schemas.request_schema(name)
        for field, inner in sorted(schema.get("properties", {}).items()):
            wrong = wrong_for(inner)
            if name in served and wrong is not None:
                found.append((name, {**minimal(schema), field: wrong}, field))
                break
    return found


def test_the_cases_cover_most_endpoints_with_a_schema():
    assert len(cases()) >= 0.9 * len(schemas.endpoint_names())


async def test_a_field_of_the_wrong_type_is_400_12_naming_it_on_every_endpoint(client):
    failures = []  # "<field> must be ..." is api/validation.py's wording, not a handler's
    for endpoint, body, field in cases():
        answer = await meta(await client.post(f"/{endpoint}", json=body))
        code = (answer["result_code"], answer["result_subcode"])
        if code != (400, 12) or f"{field} must be" not in answer["result_msg"]:
            failures.append((endpoint, field, code, answer["result_msg"]))
    assert failures == []


async def test_a_missing_required_field_is_400_11_naming_it_on_every_endpoint(client):
    failures = []
    for name in sorted(set(schemas.endpoint_names()) & set(registry().names())):
        schema = schemas.request_schema(name)
        for field in schema.get("required", ())[:1]:
            body = {k: v for k, v in minimal(schema).items() if k != field}
            answer = await meta(await client.post(f"/{name}", json=body))
            code = (answer["result_code"], answer["result_subcode"])
            if code != (400, 11) or field not in answer["result_msg"]:
                failures.append((name, field, code, answer["result_msg"]))
    assert failures == []


async def test_json_lines_events_are_checked_one_by_one_after_the_schema(client):
    """The schema takes any objects as `requests`; each event is then checked on its own, and
    a batch of which none is added is ClearML's 400/131 with the count per reason."""
    raw = b'{"task": 5, "type": "log"}\n{"type": "no-such-type"}'
    headers = {"Content-Type": "application/json-lines"}
    answer = await meta(await client.post("/events.add_batch", data=raw, headers=headers))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 131), answer
    assert sum(answer["error_data"].values()) == 2, answer
