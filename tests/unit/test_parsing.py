"""ClearML request parsing: paths, bodies, query merging."""

import pytest

from api.endpoints import Endpoint, Registry
from api.parsing import merge_query, parse_body, parse_path
from commands.errors import ValidationError


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/queues.create", ("queues.create", None)),
        ("/v2.23/queues.create", ("queues.create", "2.23")),
        ("/v2.5/tasks.get_all/", ("tasks.get_all", "2.5")),
        ("/v23/tasks.get_all", ("tasks.get_all", "23")),
        ("/queues", None),
        ("/v2.23/", None),
        ("/apis/v1beta1/runs", None),
    ],
)
def test_paths(path, expected):
    assert parse_path(path) == expected


def test_json_lines_become_a_batch():
    data, batch = parse_body(b'{"a": 1}\n\n{"b": 2}\n', "application/json-lines")
    assert data == {}
    assert batch == [{"a": 1}, {"b": 2}]


def test_a_bad_json_line_names_its_item():
    with pytest.raises(ValidationError, match="batch item #1"):
        parse_body(b'{"a": 1}\n{oops\n', "application/json-lines")


def test_any_content_type_is_read_as_json_and_empty_is_an_empty_object():
    assert parse_body(b'{"x": true}', "text/plain") == ({"x": True}, None)
    assert parse_body(b"  ", "application/json") == ({}, None)


@pytest.mark.parametrize("raw", [b"[1, 2]", b"{not json"])
def test_non_object_bodies_are_validation_errors(raw):
    with pytest.raises(ValidationError):
        parse_body(raw, "application/json")


def test_query_arguments_merge_typed_and_nested():
    merged = merge_query(
        {"keep": 1},
        [
            ("expiration_sec", "3600"),
            ("only", "true"),
            ("a.b", "x"),
            ("ids[]", "1"),
            ("ids[]", "two"),
        ],
    )
    assert merged == {
        "keep": 1,
        "expiration_sec": 3600,
        "only": True,
        "a": {"b": "x"},
        "ids": [1, "two"],
    }


def test_resolution_picks_the_newest_implementation_not_above_the_request():
    async def old(call, svc): ...
    async def new(call, svc): ...

    registry = Registry([Endpoint("x.y", old, "1.0"), Endpoint("x.y", new, "2.8")])
    assert registry.resolve("x.y", "2.5").handler is old
    assert registry.resolve("x.y", "2.8").handler is new
    assert registry.resolve("x.y", "2.34").handler is new
    assert registry.resolve("x.y", "0.9") is None
    assert registry.resolve("x.z", "2.8") is None
