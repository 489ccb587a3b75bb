"""api/schemas: one valid, bounded JSON Schema per registered endpoint, and the OpenAPI built
from them."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from api import schemas
from api.server import registry
from api.validation import validate
from commands.errors import Rejected

SUBSET = {
    "type", "properties", "required", "items", "maxLength", "maxItems", "minimum", "maximum",
    "enum", "additionalProperties", "propertyNames", "maxProperties",
}  # fmt: skip


def keywords(schema: dict) -> set[str]:
    found = set(schema)
    for name in ("items", "additionalProperties", "propertyNames"):
        if isinstance(schema.get(name), dict):
            found |= keywords(schema[name])
    for child in schema.get("properties", {}).values():
        found |= keywords(child)
    return found


def test_every_registered_endpoint_has_a_schema_and_no_other():
    assert schemas.endpoint_names() == registry().names()
    assert len(schemas.endpoint_names()) >= 97


@pytest.mark.parametrize("name", schemas.endpoint_names())
def test_each_schema_is_valid_json_schema_within_the_subset(name):
    schema = schemas.request_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert keywords(schema) <= SUBSET


def strings(schema: dict) -> list[dict]:
    found = [schema] if "string" in schema.get("type", ()) else []
    for name in ("items", "additionalProperties", "propertyNames"):
        if isinstance(schema.get(name), dict):
            found += strings(schema[name])
    for child in schema.get("properties", {}).values():
        found += strings(child)
    return found


def test_every_string_and_list_is_bounded():
    for name in schemas.endpoint_names():
        for schema in strings(schemas.request_schema(name)):
            assert "maxLength" in schema or "enum" in schema, (name, schema)


def test_request_schema_hands_out_a_copy():
    schemas.request_schema("tasks.edit")["properties"].clear()
    assert schemas.request_schema("tasks.edit")["properties"]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("tasks.edit", {"task": "t", "comment": True}),
        ("tasks.get_all", {"page_size": 2**31}),
        ("workers.register", {"worker": "w", "timeout": -1}),
        ("events.get_task_plots", {"task": "t", "metrics": [{"variants": 3}]}),
        ("tasks.create", {"name": "n", "type": "training", "execution": {"parameters": [1]}}),
        ("tasks.create", {"name": "n", "type": "no-such-type"}),
    ],
)
def test_our_validator_and_jsonschema_agree_on_violations(name, body):
    schema = schemas.request_schema(name)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, schema)
    with pytest.raises(Rejected):
        validate(schema, body)


def test_openapi_describes_every_endpoint_as_a_post_with_its_schema():
    document = schemas.openapi()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {f"/{n}" for n in schemas.endpoint_names()}
    post = document["paths"]["/tasks.edit"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body == schemas.request_schema("tasks.edit")


def test_python_m_api_schemas_prints_the_openapi_document():
    out = subprocess.run(
        [sys.executable, "-m", "api.schemas"], capture_output=True, check=True, text=True
    )
    assert json.loads(out.stdout)["paths"].keys() == schemas.openapi()["paths"].keys()
