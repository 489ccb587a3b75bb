"""ClearML get_all semantics: tags, only_fields, order_by, paging."""

import pytest

from commands.errors import InvalidRegex
from projections import listing


@pytest.mark.parametrize(
    ("tags", "query", "matches"),
    [
        (["a", "b"], ["a"], True),
        (["a", "b"], ["c"], False),
        (["a", "b"], ["c", "a"], True),
        (["a", "b"], ["-a"], False),
        (["b"], ["-a"], True),
        (["a", "b"], ["__$all", "a", "b"], True),
        (["a"], ["__$all", "a", "b"], False),
        (["a"], ["__$not", "a"], False),
        (["b"], ["__$not", "a"], True),
        ([], ["null"], True),
        (["a"], ["null"], False),
    ],
)
def test_tags(tags, query, matches):
    assert listing.tags_match(tags, query) is matches


def test_only_fields_keeps_dotted_paths_and_the_id():
    doc = {"id": "1", "name": "n", "execution": {"queue": "q", "x": 1}, "runtime": {}}
    assert listing.only_fields(doc, ["execution.queue", "missing.path", "name"]) == {
        "id": "1",
        "execution": {"queue": "q"},
        "name": "n",
    }


def test_only_fields_keeps_the_objects_along_a_path_to_an_unset_leaf():
    doc = {"id": "1", "runtime": {}, "execution": {"queue": "q"}, "name": "n"}
    assert listing.only_fields(doc, ["runtime.version", "execution.x.y", "name.z"]) == {
        "id": "1",
        "runtime": {},
        "execution": {},
    }


def test_only_fields_with_a_star_keeps_every_field():
    doc = {"id": "1", "name": "n", "entries": [{"task": "t"}]}
    assert listing.only_fields(doc, ["*", "entries.task.name"]) == doc


def test_order_by_several_fields_with_descending_prefix():
    docs = [{"s": "b", "n": 1}, {"s": "a", "n": 2}, {"s": "b", "n": 3}, {"s": None, "n": 0}]
    ordered = listing.order(docs, ["-s", "n"])
    assert [d["n"] for d in ordered] == [1, 3, 2, 0]


def test_paging():
    docs = [{"n": i} for i in range(7)]
    assert listing.page(docs, 1, 3) == [{"n": 3}, {"n": 4}, {"n": 5}]
    assert listing.page(docs, None, None) == docs


def test_a_bad_name_pattern_is_a_clear_error():
    with pytest.raises(InvalidRegex):
        listing.pattern("(unclosed")
