"""Bounded request parsing: nesting depth, lone surrogates, NaN, big integers, query merge,
and crafted scroll ids of the event reads."""

from __future__ import annotations

import base64

import orjson
import pytest

from api import jsonload, scroll
from api.parsing import merge_query, parse_body
from commands.errors import ValidationError
from commands.limits import MAX_JSON_DEPTH


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1100, 10_000, 200_000])
def test_nesting_beyond_the_cap_is_refused_by_both_parsers(depth):
    for body in (nested(depth), b'{"x": NaN, "a": ' + nested(depth) + b"}"):
        with pytest.raises(ValidationError):
            parse_body(b'{"a": ' + body + b"}", "application/json")


def test_nesting_at_the_cap_is_taken():
    assert jsonload.loads(nested(MAX_JSON_DEPTH)) is not None
    body = b'{"a": NaN, "b": ' + nested(MAX_JSON_DEPTH - 1) + b"}"
    assert parse_body(body, "application/json")[0]["b"] is not None


@pytest.mark.parametrize(
    "body",
    [b'{"a": "\\ud800"}', b'{"\\udc00": 1}', b'{"n": NaN, "a": ["\\udbff"]}', b'"\\ud800x"'],
)
def test_lone_surrogates_are_refused_by_both_parsers(body):
    with pytest.raises(jsonload.BadJSONError):
        jsonload.loads(body)


def test_pairs_nan_and_big_integers_read_as_orjson_reads_them():
    assert jsonload.loads(b'["\\ud83d\\ude00"]') == ["\N{GRINNING FACE}"]
    value = jsonload.loads(b'{"n": NaN, "big": 123456789012345678901234567890, "ok": 5}')
    assert isinstance(value["big"], float)
    assert value["ok"] == 5
    orjson.dumps(value)  # whatever was read can be echoed


def test_a_deep_json_lines_item_is_named():
    body = b'{"a": 1}\n{"b": ' + nested(MAX_JSON_DEPTH) + b"}\n"
    with pytest.raises(ValidationError, match="batch item #1"):
        parse_body(body, "application/json-lines")


def test_query_merge_refuses_surrogates_and_deep_keys_and_keeps_nan_a_word():
    with pytest.raises(ValidationError):
        merge_query({}, [("a", "\ud800")])
    with pytest.raises(ValidationError):
        merge_query({}, [("\udc00", "1")])
    with pytest.raises(ValidationError):
        merge_query({}, [(".".join(["k"] * (MAX_JSON_DEPTH + 1)), "1")])
    assert merge_query({}, [("a", "nan"), ("b", "inf"), ("c", "1.5")]) == {
        "a": "nan",
        "b": "inf",
        "c": 1.5,
    }


def token(state: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(state)).decode()


@pytest.mark.parametrize(
    "state",
    [
        {"k": "x"}, {"k": -1}, {"s": 2**40}, {"o": 1.5}, {"i": "x"}, {"i": 2**63},
        {"c": "x"}, {"c": [1]}, {"c": ["a", 1]}, {"c": [1, 2, 3, 4]}, {"c": {"s": "x"}},
        {"c": {"c": [1, 2]}}, {"c": [None, None]}, [1, 2],
    ],
)  # fmt: skip
def test_a_crafted_scroll_id_starts_from_the_beginning(state):
    assert scroll.read(token(state)) == {}


@pytest.mark.parametrize(
    "state",
    [{"k": 2, "c": [5, 7]}, {"s": 1, "i": 40}, {"k": 0, "c": ["m", "v", 3, "id"]},
     {"k": 1, "c": {"s": 0, "i": None}}, {"o": 500}],
)  # fmt: skip
def test_scroll_ids_we_write_read_back(state):
    assert scroll.read(token(state)) == state
