"""api/validation: the JSON Schema subset the request schemas use, as ClearML 400s."""

from __future__ import annotations

import pytest

from api.validation import validate
from commands.errors import MissingRequiredFields, ValidationError

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 3},
        "ids": {"type": ["array", "string"], "items": {"type": "string"}, "maxItems": 2},
        "size": {"type": "integer", "minimum": 0, "maximum": 10},
        "ratio": {"type": "number", "minimum": 0, "maximum": 1},
        "any": {},
        "mode": {"type": "string", "enum": ["a", "b"]},
        "map": {
            "type": "object",
            "propertyNames": {"type": "string", "maxLength": 2},
            "additionalProperties": {"type": "boolean"},
        },
        "strict": {"type": "object", "properties": {"x": {}}, "additionalProperties": False},
        "nested": {"type": "object", "properties": {"list": {"type": "array", "items": {
            "type": "object", "properties": {"v": {"type": "integer"}}, "required": ["v"]}}}},
    },
    "required": ["name"],
}  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        {"name": "abc"},
        {"name": "a", "ids": "one"},
        {"name": "a", "ids": ["x", "y"], "size": 10, "ratio": 0.5, "mode": "b"},
        {"name": "a", "any": {"deep": [1, "x", None]}, "unknown": object()},
        {"name": "a", "size": None, "map": {"ab": True}, "strict": {"x": 1}},
        {"name": "a", "nested": {"list": [{"v": 1}, None]}},
    ],
)
def test_valid_bodies_pass(body):
    validate(SCHEMA, body)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"name": "abcd"}, "name"),
        ({"name": 1}, "name"),
        ({"name": "a", "ids": ["x", 1]}, "ids[1]"),
        ({"name": "a", "ids": ["x", "y", "z"]}, "ids"),
        ({"name": "a", "size": True}, "size"),
        ({"name": "a", "size": 1.0}, "size"),
        ({"name": "a", "size": 11}, "size"),
        ({"name": "a", "size": -1}, "size"),
        ({"name": "a", "ratio": float("nan")}, "ratio"),
        ({"name": "a", "ratio": float("inf")}, "ratio"),
        ({"name": "a", "mode": "c"}, "mode"),
        ({"name": "a", "map": {"abc": True}}, "map.abc"),
        ({"name": "a", "map": {"ab": 1}}, "map.ab"),
        ({"name": "a", "strict": {"y": 1}}, "strict.y"),
        ({"name": "a", "nested": {"list": [{"v": "1"}]}}, "nested.list[0].v"),
    ],
)
def test_a_violation_is_a_validation_error_naming_the_path(body, path):
    with pytest.raises(ValidationError) as caught:
        validate(SCHEMA, body)
    assert caught.value.message.startswith(f"Validation error ({path} ")
    assert caught.value.data == {"field": path}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": "a", "nested": {"list": [{}]}}, "nested.list[0].v"),
    ],
)
def test_a_missing_required_field_is_400_11(body, path):
    with pytest.raises(MissingRequiredFields) as caught:
        validate(SCHEMA, body)
    assert caught.value.data == {"fields": path}


def test_a_long_field_name_is_shortened_in_the_message():
    with pytest.raises(ValidationError) as caught:
        validate(SCHEMA, {"name": "a", "map": {"k" * 5000: True}})
    assert len(caught.value.message) < 300
