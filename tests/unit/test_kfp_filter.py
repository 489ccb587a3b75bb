"""ListRuns filter parsing and evaluation with KFP 1.8.5's rules."""

import json
from urllib.parse import quote

import pytest

from commands.runs.errors import InvalidInput
from projections.runs.filter import Predicate, canonical, from_canonical, matches, parse

RUN = {
    "id": "a1",
    "name": "Train-Model",
    "description": "",
    "created_at": 100,
    "scheduled_at": 0,
    "status": "Running",
    "storage_state": "STORAGESTATE_AVAILABLE",
}


def encoded(*predicates):
    return quote(json.dumps({"predicates": list(predicates)}))


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        ({"key": "status", "op": "EQUALS", "string_value": "running"}, True),
        ({"key": "status", "op": "NOT_EQUALS", "string_value": "Running"}, False),
        ({"key": "created_at", "op": "GREATER_THAN", "int_value": 99}, True),
        ({"key": "created_at", "op": "GREATER_THAN_EQUALS", "long_value": "101"}, False),
        ({"key": "created_at", "op": "LESS_THAN", "timestamp_value": "1970-01-01T00:01:41Z"}, True),
        ({"key": "created_at", "op": "LESS_THAN_EQUALS", "longValue": 100}, True),
        ({"key": "name", "op": "IN", "string_values": {"values": ["x", "TRAIN-model"]}}, True),
        ({"key": "created_at", "op": "IN", "int_values": {"values": [1, 2]}}, False),
        ({"key": "scheduled_at", "op": "IN", "longValues": {"values": ["0"]}}, True),
        ({"key": "name", "op": "IS_SUBSTRING", "stringValue": "n-mo"}, True),
        ({"key": "id", "op": 1, "string_value": "a1"}, True),
    ],
)
def test_every_op_and_value_kind(predicate, expected):
    assert matches(parse(encoded(predicate)), RUN) is expected


def test_the_value_is_decoded_once_more_after_the_query_string():
    raw = json.dumps({"predicates": [{"key": "name", "op": "EQUALS", "string_value": "a b"}]})
    assert parse(raw.replace(" b", "+b")) == (Predicate("name", "EQUALS", "a b"),)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "failed to parse valid filter"),
        ('{"predicates": [{"key": "name", "op": "EQUALS", "bogus": 1}]}', "unknown field"),
        ('{"predicates": [{"key": "name", "op": "SOMETIMES", "string_value": "x"}]}', "enum"),
        ('{"predicates": [{"key": "name", "op": "EQUALS"}]}', "no value set"),
        ('{"predicates": [{"key": "name", "op": "UNKNOWN", "string_value": "x"}]}', "operation"),
        ('{"predicates": [{"key": "name", "op": "IN", "string_value": "x"}]}', "IN operator"),
        (
            '{"predicates": [{"key": "name", "op": "EQUALS", "int_values": {"values": [1]}}]}',
            "repeated",
        ),
        ('{"predicates": [{"key": "name", "op": "IS_SUBSTRING", "int_value": 1}]}', "IS_SUBSTRING"),
        ('{"predicates": [{"key": "owner", "op": "EQUALS", "string_value": "x"}]}', "unrecognized"),
        (
            '{"predicates": [{"key": "name", "op": 1, "int_value": 1, "string_value": "x"}]}',
            "oneof",
        ),
        ("%zz", "failed to parse"),
    ],
)
def test_bad_filters_are_invalid_argument(document, message):
    with pytest.raises(InvalidInput) as raised:
        parse(document)
    assert message in raised.value.message
    assert (raised.value.code, raised.value.subcode) == (400, 3)


def test_canonical_form_round_trips_and_ignores_spelling():
    a = parse(encoded({"key": "name", "op": "IN", "string_values": {"values": ["x"]}}))
    b = parse(encoded({"key": "name", "op": 8, "stringValues": {"values": ["x"]}}))
    assert canonical(a) == canonical(b)
    assert from_canonical(canonical(a)) == a


def test_an_empty_filter_matches_everything():
    assert parse("") == ()
    assert matches((), RUN)
