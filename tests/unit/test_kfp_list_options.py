"""sort_by, page_size and page tokens as KFP 1.8.5 validates them."""

import pytest

from commands.runs.errors import InvalidInput
from projections.runs.filter import Predicate
from projections.runs.list_options import (
    Cursor,
    Sort,
    decode,
    encode,
    options,
    page_size,
    parse_sort,
)
from projections.runs.sort_keys import key, number_key

FILTER = '{"predicates": [{"key": "status", "op": "EQUALS", "string_value": "Running"}]}'


def test_sort_by_forms():
    assert parse_sort("") == Sort("created_at")
    assert parse_sort("Name DESC") == Sort("name", True)
    assert parse_sort("metric:Accuracy asc") == Sort("metric:accuracy")


@pytest.mark.parametrize("bad", ["name up", "name desc x", "owner", "metric:"])
def test_bad_sort_by_is_400(bad):
    with pytest.raises(InvalidInput):
        parse_sort(bad)


def test_page_size_defaults_and_clamps():
    assert (page_size(0), page_size(7), page_size(500)) == (20, 7, 200)
    with pytest.raises(InvalidInput):
        page_size(-1)


def test_a_token_carries_sort_filter_and_position():
    sort, preds = Sort("name", True), (Predicate("status", "EQUALS", "Running"),)
    token = encode(sort, preds, Cursor(0, "k", "id9"))
    opts = options(token, 10, "", "")
    assert (opts.sort, opts.predicates, opts.cursor) == (sort, preds, Cursor(0, "k", "id9"))
    assert options(token, 10, "name desc", FILTER).cursor == Cursor(0, "k", "id9")


@pytest.mark.parametrize(("sort_by", "flt"), [("name", FILTER), ("name desc", ""), ("", "{}")])
def test_a_token_reused_with_other_criteria_is_400(sort_by, flt):
    token = encode(
        Sort("name", True), (Predicate("status", "EQUALS", "Running"),), Cursor(0, "k", "i")
    )
    with pytest.raises(InvalidInput, match="page token does not match"):
        options(token, 10, sort_by, flt)


@pytest.mark.parametrize("token", ["not base64!", "e30=", "bnVsbA=="])
def test_a_garbled_token_is_400(token):
    with pytest.raises(InvalidInput) as raised:
        decode(token)
    assert raised.value.data["error_message"] == "Invalid package token."


def test_metric_sort_reads_runs_without_the_metric_first_ascending():
    assert Sort("metric:acc").phases() == [("id", True), ("metric:acc", False)]
    assert Sort("metric:acc", True).phases() == [("metric:acc", False), ("id", True)]


def test_keys_sort_like_the_values():
    values = [-1e300, -2.5, -0.0, 0.0, 1e-9, 3.0, 1e300]
    assert sorted(values, key=number_key) == values
    assert key("created_at", 5) < key("created_at", 40)
    assert key("name", "Beta") > key("name", "alpha")
