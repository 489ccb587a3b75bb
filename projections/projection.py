"""only_fields as MongoDB projects a document: dotted paths keep their parent objects even when
the leaf is unset (`runtime.version` on an empty runtime gives `runtime: {}`), reach into lists
of objects (`models.output.model`), and several paths under one parent merge."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

Tree = dict[str, Any]  # path part -> subtree, or None where the whole value is kept


def only_fields(doc: dict[str, Any], fields: Collection[str]) -> dict[str, Any]:
    """Keep the given dotted paths (and always the id); "*" keeps every field and a trailing
    ".*" means the whole object, as ClearML strips it."""
    if "*" in fields:
        return doc
    out = _project(doc, tree(fields))
    return {"id": doc["id"], **out} if "id" in doc else out


def tree(fields: Collection[str]) -> Tree:
    """The paths as a tree; a path that is a prefix of another keeps the whole object."""
    root: Tree = {}
    for path in sorted(fields, key=lambda p: p.count(".")):
        parts = path.removesuffix(".*").split(".")
        node: Tree | None = root
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if node is not None else None
        if node is not None and parts[-1]:
            node[parts[-1]] = None
    return root


def _project(value: Any, wanted: Tree) -> Any:
    if isinstance(value, list):  # MongoDB keeps the objects of a list, projected
        return [_project(item, wanted) for item in value if isinstance(item, dict)]
    out: dict[str, Any] = {}
    for name, below in wanted.items():
        if name not in value:
            continue
        inner = value[name]
        if below is None:
            out[name] = inner
        elif isinstance(inner, dict | list):
            out[name] = _project(inner, below)
    return out
