"""The get_all query language on plain documents: list buckets, datetime comparisons and
ranges, numeric ranges, the `filters` parameter, ordering and scroll windows."""

from __future__ import annotations

import pytest

from api.clearml import paging
from api.clearml.tasks import filters
from commands.errors import FieldsValueError, Rejected, ValidationError
from projections import conditions, list_filter, listing

JAN = {"id": "jan", "status_changed": "2026-01-15T10:00:00", "created": "2026-01-01T00:00:00"}
FEB = {"id": "feb", "status_changed": "2026-02-15T10:00:00", "created": "2026-02-01T00:00:00Z"}
NONE = {"id": "none", "created": "2026-03-01T00:00:00+00:00"}
DOCS = [JAN, FEB, NONE]


def ids(condition: conditions.Condition) -> list[str]:
    return [doc["id"] for doc in DOCS if condition(doc)]


@pytest.mark.parametrize(
    ("tags", "query", "matches"),
    [
        (["x"], ["a", "-b"], True),  # or-bucket: a OR not b (ClearML's default operator)
        (["b"], ["a", "-b"], False),
        (["a", "b"], ["__$all", "__$not", "a", "__$not", "b"], False),  # not all of a, b
        (["a"], ["__$all", "__$not", "a", "__$not", "b"], True),
        (["a", "c"], ["__$and", "a", "__$not", "b"], True),
        (["a", "b"], ["__$and", "a", "__$not", "b"], False),
        (["p"], ["__$not", "archived", "__$not", "pipeline"], True),
        (["pipeline"], ["__$not", "archived", "__$not", "pipeline"], False),
        ([], [None], True),
        (["a"], [None], False),
        (["a"], ["__$nop", "a"], True),
        ([], [None, "a"], True),
    ],
)
def test_list_buckets_are_clearml_s(tags, query, matches):
    assert listing.tags_match(tags, query) is matches


@pytest.mark.parametrize("query", [["__$xor", "a"], ["a", "__$not"], ["__$not", "__$all", "a"]])
def test_a_bad_list_operator_is_400_16(query):
    with pytest.raises(FieldsValueError):
        listing.tags_match(["a"], query)


def test_datetime_comparisons_all_hold():
    assert ids(conditions.dates("status_changed", [">=2026-02-01", "<2026-03-01"])) == ["feb"]
    assert ids(conditions.dates("status_changed", ["<2026-02-01T00:00:00Z"])) == ["jan"]
    assert ids(conditions.dates("status_changed", ">2026-01-15T10:00:00")) == ["feb"]
    equal = conditions.dates("status_changed", ["2026-01-15T10:00:00"])
    assert ids(equal) == ["jan"]


def test_a_two_value_list_without_prefixes_is_an_inclusive_range():
    assert ids(conditions.dates("created", ["2026-01-01T00:00:00", "2026-02-01"])) == ["jan", "feb"]
    assert ids(conditions.dates("created", ["2026-02-01", None])) == ["feb", "none"]
    # an open start also takes the documents without the field, as ClearML does
    assert ids(conditions.dates("status_changed", [None, "2026-02-01"])) == ["jan", "none"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ([">=yesterday"], FieldsValueError),
        (["2026-01-01", "soon"], FieldsValueError),
        ([None, None], ValidationError),
        ([1, 2], FieldsValueError),
    ],
)
def test_bad_dates_are_a_400(data, error):
    with pytest.raises(error):
        conditions.dates("created", data)


def test_numeric_ranges_convert_text():
    docs = [{"id": str(v), "last_metrics": {"m": {"v": {"value": v}}}} for v in (0.5, 2, 10)]
    within = conditions.value_range("last_metrics.m.v.value", ["1", "10"])
    assert [d["id"] for d in docs if within(d)] == ["2", "10"]
    with pytest.raises(ValidationError):
        conditions.value_range("last_iteration", [3])


def tagged(tags: list[str]) -> dict:
    return {"tags": tags}


@pytest.mark.parametrize(
    ("spec", "tags", "matches"),
    [
        ({"any": {"include": ["a", "b"]}}, ["b"], True),
        ({"any": {"include": ["a"], "exclude": ["c"]}}, ["x"], True),  # lacks some exclude
        ({"any": {"include": ["a"], "exclude": ["c"]}}, ["c"], False),
        ({"any": {"exclude": ["c", "d"]}}, ["c", "d"], False),
        ({"all": {"include": ["a", "b"]}}, ["a"], False),
        ({"all": {"include": ["a"], "exclude": ["c"]}}, ["a", "c"], False),
        ({"all": {"include": ["a"], "exclude": ["c"]}}, ["a"], True),
        ({"any": {"include": ["a"]}, "all": {"include": ["b"]}}, ["a"], False),
        ({"any": {"include": ["a"]}, "all": {"include": ["b"]}, "op": "or"}, ["a"], True),
        ({"any": {"include": [None]}}, [], True),
        ({"all": {"exclude": [None]}}, [], False),
        ({}, ["a"], True),
    ],
)
def test_the_filters_parameter(spec, tags, matches):
    condition = list_filter.condition("tags", spec, lambda doc: doc["tags"])
    assert condition(tagged(tags)) is matches


@pytest.mark.parametrize(
    "spec",
    [
        ["a"],
        {"some": {"include": ["a"]}},
        {"any": ["a"]},
        {"any": {"include": "a"}},
        {"any": {"include": [1]}},
        {"any": {"with": ["a"]}},
        {"op": "xor"},
    ],
)
def test_a_malformed_filter_is_400_12(spec):
    with pytest.raises(ValidationError):
        list_filter.condition("tags", spec, lambda doc: [])


def test_ascending_sorts_put_missing_values_last_and_ties_go_by_id():
    docs = [{"id": "b", "x": "2"}, {"id": "n"}, {"id": "a", "x": "2"}, {"id": "e", "x": ""}]
    docs.append({"id": "c", "x": "10"})
    assert [d["id"] for d in listing.order(docs, ["x"])] == ["c", "a", "b", "n", "e"]
    assert [d["id"] for d in listing.order(docs, ["-x"])] == ["a", "b", "c", "e", "n"]


def test_later_keys_sort_missing_values_lowest():
    docs = [{"id": "1", "s": "a", "x": 1}, {"id": "2", "s": "a"}, {"id": "3", "s": "b", "x": 0}]
    assert [d["id"] for d in listing.order(docs, ["s", "x"])] == ["2", "1", "3"]
    assert [d["id"] for d in listing.order(docs, ["-s", "-x"])] == ["3", "1", "2"]


def test_hyperparameter_values_sort_as_numbers():
    def doc(i: str, value: str) -> dict:
        return {"id": i, "hyperparams": {"Args": {"lr": {"value": value}}}}

    docs = [doc("a", "10"), doc("b", "9"), doc("c", "0.5"), doc("d", "adam")]
    path = "hyperparams.Args.lr.value"
    assert [d["id"] for d in listing.order(docs, [path])] == ["c", "b", "a", "d"]
    assert [d["id"] for d in listing.order(docs, [f"-{path}"])] == ["d", "a", "b", "c"]


TASK = {
    "id": "t1",
    "comment": "Trained on GPUs",
    "status_changed": "2026-01-15T10:00:00+00:00",
    "hyperparams": {"Args": {"lr": {"value": "0.1"}}},
    "runtime": {"gpu": "a100"},
    "models": {"input": [{"name": "m", "model": "m1"}], "output": []},
    "execution": {"queue": "q1"},
    "tags": ["x"],
    "system_tags": [],
}


@pytest.mark.parametrize(
    ("data", "matches"),
    [
        ({"status_changed": [">=2026-01-01", "<2026-02-01"]}, True),
        ({"status_changed": [">=2026-02-01"]}, False),
        ({"last_update": [">=2026-01-01"]}, False),  # a missing value fails a comparison
        ({"comment": "gpu"}, False),  # a pattern field is case-sensitive
        ({"comment": "GPU"}, True),
        ({"hyperparams.Args.lr.value": ["0.1", "0.2"]}, True),
        ({"hyperparams.Args.lr.value": ["-0.1"]}, False),
        ({"runtime.gpu": "a100"}, True),
        ({"models.input.model": ["m2"]}, False),
        ({"execution.queue": ["q1"]}, True),
        ({"tags": ["y"], "filters": {"tags": {"any": {"include": ["x"]}}}}, True),
        ({"_any_": {"fields": ["status_changed"], "datetime": [">2026-01-20"]}}, False),
        ({"_any_": {"fields": ["name", "comment"], "pattern": "gpus"}}, True),
        ({"parent": None}, True),
    ],
)
def test_task_filters(data, matches):
    assert filters.parse(data).matches(TASK) is matches


@pytest.mark.parametrize(
    "data",
    [
        {"filters": ["tags"]},
        {"filters": {"tags": {"any": {"include": "x"}}}},
        {"status_changed": [">=never"]},
        {"created": [None, None]},
        {"tags": [1]},
        {"_any_": {"fields": ["name"]}},
        {"last_iteration": ["a", "b"]},
    ],
)
def test_bad_task_filters_are_a_400(data):
    with pytest.raises(Rejected) as caught:
        filters.parse(data)
    assert caught.value.code == 400


def test_only_fields_reads_what_the_filters_look_at():
    query = filters.parse(
        {
            "only_fields": ["id"],
            "hyperparams.Args.lr.value": ["1"],
            "last_metrics.a.b.value": [0, 1],
        }
    )
    assert {"hyperparams.Args.lr.value", "last_metrics.a.b.value"} <= set(
        filters.needed_fields(query) or []
    )


@pytest.mark.parametrize(
    ("data", "window", "returned", "scroll"),
    [
        ({"scroll_id": None, "size": 30}, (0, 30), 30, "30"),
        ({"scroll_id": "30", "size": 30}, (30, 60), 12, "42"),
        ({"scroll_id": "42", "size": 30, "refresh_scroll": True}, (0, 42), 40, "42"),
        ({"scroll_id": None, "size": 30, "refresh_scroll": True}, (0, 30), 3, "3"),
        ({"scroll_id": "junk"}, (0, 500), 0, "0"),
    ],
)
def test_scroll_windows(data, window, returned, scroll):
    shown = paging.window(data)
    assert shown is not None
    assert (shown.start, shown.end) == window
    assert paging.scroll_id(shown, returned) == scroll
    assert paging.window({"page": 1}) is None
