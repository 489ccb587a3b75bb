"""models.get_all filters over model documents: ids, name regex, list fields, ready, metadata."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from re import Pattern
from typing import Any

from projections import listing

LIST_FIELDS = ("user", "project", "task", "framework", "uri", "parent")
TAG_FIELDS = ("tags", "system_tags")
Doc = dict[str, Any]
Multi = tuple[tuple[str, ...], Pattern[str]]
TEXT_FIELDS = ("id", "name", "comment", "framework", "uri")


@dataclass(frozen=True)
class ModelQuery:
    ids: tuple[str, ...] | None = None
    name: str | None = None
    ready: bool | None = None
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> allowed values
    metadata: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> values
    search_text: str | None = None
    all_fields: Multi | None = None  # _all_: every field path matches the pattern
    any_fields: Multi | None = None  # _any_: at least one does


def select(docs: list[Doc], query: ModelQuery) -> list[Doc]:
    tests = _tests(query)
    return [doc for doc in docs if all(test(doc) for test in tests)]


def _tests(query: ModelQuery) -> list[Callable[[Doc], bool]]:
    tests: list[Callable[[Doc], bool]] = []
    if query.ids is not None:
        ids = set(query.ids)
        tests.append(lambda doc: doc["id"] in ids)
    if query.name is not None:
        regex = listing.pattern(query.name)
        tests.append(lambda doc: bool(regex.search(doc.get("name") or "")))
    if query.ready is not None:
        tests.append(lambda doc: doc.get("ready") is query.ready)
    tests += [_list_test(name, values) for name, values in query.lists.items()]
    tests += [_metadata_test(key, values) for key, values in query.metadata.items()]
    if query.search_text:
        tests.append(_text_test(query.search_text))
    if query.all_fields is not None:
        tests.append(_multi_test(query.all_fields, all))
    if query.any_fields is not None:
        tests.append(_multi_test(query.any_fields, any))
    return tests


def _text_test(text: str) -> Callable[[Doc], bool]:
    """search_text: a case-insensitive substring of the text fields, as for tasks."""
    needle = text.lower()
    return lambda doc: any(needle in str(doc.get(f) or "").lower() for f in TEXT_FIELDS)


def _multi_test(spec: Multi, combine: Callable[[Any], bool]) -> Callable[[Doc], bool]:
    paths, pattern = spec
    return lambda doc: combine(
        bool(pattern.search(str(listing.lookup(doc, p) or ""))) for p in paths
    )


def _list_test(name: str, values: Sequence[str]) -> Callable[[Doc], bool]:
    """Tags are lists; other fields are one value each, matched with the same operators."""
    if name in TAG_FIELDS:
        return lambda doc: listing.tags_match(doc.get(name) or [], values)

    def test(doc: Doc) -> bool:
        value = doc.get(name)
        return listing.tags_match([value] if value else [], values)

    return test


def _metadata_test(key: str, values: Sequence[str]) -> Callable[[Doc], bool]:
    def test(doc: Doc) -> bool:
        item = (doc.get("metadata") or {}).get(key) or {}
        return item.get("value") in values

    return test


def frameworks(docs: list[Doc], projects: Sequence[str] | None) -> list[str]:
    """models.get_frameworks: the distinct frameworks, sorted, of the projects' models."""
    if projects:
        docs = [doc for doc in docs if doc.get("project") in projects]
    return sorted({doc["framework"] for doc in docs if doc.get("framework")})


def in_projects(docs: list[Doc], projects: Sequence[str] | None) -> list[Doc]:
    return [doc for doc in docs if doc.get("project") in projects] if projects else docs


def tags(docs: list[Doc], include_system: bool) -> dict[str, list[str]]:
    """projects.get_model_tags: the distinct tags (and system tags when asked), sorted."""
    out = {"tags": sorted({t for doc in docs for t in doc.get("tags") or []})}
    system = sorted({t for doc in docs for t in doc.get("system_tags") or []})
    return {**out, "system_tags": system if include_system else []}


def metadata_keys(docs: list[Doc]) -> list[str]:
    return sorted({key for doc in docs for key in doc.get("metadata") or {}})


def metadata_values(docs: list[Doc], key: str) -> list[str]:
    items = ((doc.get("metadata") or {}).get(key) for doc in docs)
    return sorted({str(item["value"]) for item in items if item and "value" in item})
