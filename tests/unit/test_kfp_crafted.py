"""ListRuns page tokens and filters crafted by a client are KFP's InvalidInput (400), never a
later KeyError or TypeError (a 500) when the filter is evaluated or the sort is read."""

from __future__ import annotations

import base64
import json

import pytest

from commands.runs.errors import InvalidInput
from projections.runs import list_options

GOOD = {
    "SortByFieldName": "created_at",
    "SortByFieldValue": "1",
    "KeyFieldName": "UUID",
    "KeyFieldValue": "run-1",
    "IsDesc": False,
    "Phase": 0,
    "Filter": None,
}


def token(**changes: object) -> str:
    return base64.b64encode(json.dumps({**GOOD, **changes}).encode()).decode()


def proto(predicates: object) -> dict[str, str]:
    return {"FilterProto": json.dumps(predicates)}


@pytest.mark.parametrize(
    "crafted",
    [
        token(Filter=proto([["name", "NO_SUCH_OP", "a"]])),
        token(Filter=proto([["name", "IN", 5]])),
        token(Filter=proto([["name", "EQUALS", {"a": 1}]])),
        token(Filter=proto([["name", "EQUALS", ["a"]]])),
        token(Filter=proto([["no_such_key", "EQUALS", "a"]])),
        token(Filter=proto([[1, "EQUALS", "a"]])),
        token(Filter={"FilterProto": "[" * 100_000}),
        token(SortByFieldName="no_such_field"),
        token(SortByFieldName={"a": 1}),
        token(Phase=1e400),
        token(KeyFieldValue="\ud800"),
    ],
)
def test_a_crafted_page_token_is_invalid_input(crafted):
    with pytest.raises(InvalidInput):
        list_options.options(crafted, 0, "", "")


def test_a_deeply_nested_filter_is_invalid_input():
    with pytest.raises(InvalidInput):
        list_options.options("", 0, "", '{"predicates": ' + "[" * 100_000)


def test_a_token_we_wrote_reads_back():
    options = list_options.options(token(Filter=proto([["name", "EQUALS", "a"]])), 5, "", "")
    assert options.predicates[0].value == "a"
    assert options.cursor is not None
