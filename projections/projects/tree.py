"""The project tree over project documents: hidden projects, sub-projects and ancestry, as
ClearML's listings and statistics see it (pure; the documents come from `read.every`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Doc = dict[str, Any]
HIDDEN = "hidden"
SEPARATOR = "/"


def is_hidden(doc: Doc) -> bool:
    """Hidden: the "hidden" system tag (ClearML's rule, which the SDK sets on its ".datasets"
    and ".pipelines" projects), or a name part starting with "." (those projects before the
    SDK has tagged them)."""
    if HIDDEN in (doc.get("system_tags") or ()):
        return True
    return any(part.startswith(".") for part in str(doc.get("name") or "").split(SEPARATOR))


def children_of(docs: Iterable[Doc]) -> dict[str, list[Doc]]:
    """Parent id -> the projects directly under it."""
    out: dict[str, list[Doc]] = {}
    for doc in docs:
        if parent := doc.get("parent"):
            out.setdefault(parent, []).append(doc)
    return out


def descendants(project: str, children: dict[str, list[Doc]]) -> list[Doc]:
    """Every project below `project`, at every level."""
    out: list[Doc] = []
    todo = list(children.get(project, ()))
    while todo:
        doc = todo.pop()
        out.append(doc)
        todo.extend(children.get(doc["id"], ()))
    return out


def ancestors(doc: Doc, by_id: dict[str, Doc]) -> list[str]:
    """The ids above the project, nearest first."""
    out: list[str] = []
    parent = doc.get("parent")
    while parent and parent in by_id and parent not in out:
        out.append(parent)
        parent = by_id[parent].get("parent")
    return out


def with_children(ids: Iterable[str], docs: Iterable[Doc]) -> set[str]:
    """The ids and those of every project below them."""
    children = children_of(docs)
    asked = set(ids)
    return asked | {d["id"] for p in asked for d in descendants(p, children)}


def sub_projects(doc: Doc, children: dict[str, list[Doc]], hidden: bool) -> list[Doc]:
    """ClearML's `sub_projects` of a listed project: {id, name} of every level below, by name;
    hidden ones only when hidden projects are searched."""
    found = [d for d in descendants(doc["id"], children) if hidden or not is_hidden(d)]
    return sorted(({"id": d["id"], "name": d["name"]} for d in found), key=lambda d: d["name"])
