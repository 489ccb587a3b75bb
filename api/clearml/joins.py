"""Reference fields joined as ClearML's projection joins them: a requested path below a
reference (`project.name`, `execution.queue.name`, `models.input.model.task.name`) replaces the
id with the referenced document projected to those paths plus its id, recursively; the _ex reads
also turn every other reference into `{id}`. Every read is scoped to the caller's company."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from api.services import Services
from projections import projection
from projections.models import read as models
from projections.projects import read as projects
from projections.queues import read as queues
from projections.tasks import read as tasks
from projections.tenancy import read as tenancy

Doc = dict[str, Any]
Fetch = Callable[[str, list[str], list[str]], Awaitable[dict[str, Doc]]]

REFERENCES: dict[str, dict[str, str]] = {  # kind -> reference path -> kind referred to
    "task": {
        "parent": "task",
        "project": "project",
        "user": "user",
        "company": "company",
        "execution.queue": "queue",
        "models.input.model": "model",
        "models.output.model": "model",
    },
    "model": {
        "task": "task",
        "project": "project",
        "parent": "model",
        "user": "user",
        "company": "company",
    },
    "project": {"parent": "project", "user": "user", "company": "company"},
    "queue": {"company": "company"},
    "user": {"company": "company"},
    "company": {},
}


async def joined(
    fetch: Fetch, kind: str, docs: list[Doc], paths: Collection[str], *, expand_all: bool
) -> list[Doc]:
    """The documents with the references that `paths` reach into joined (new dicts)."""
    refs = REFERENCES[kind]
    wanted = below(refs, paths)
    for ref, subpaths in wanted.items():
        ids = sorted({i for doc in docs for i in _ids(doc, ref.split("."))})
        found = await fetch(refs[ref], ids, subpaths) if ids else {}
        targets = await joined(
            fetch, refs[ref], list(found.values()), subpaths, expand_all=expand_all
        )
        keep = ["id", *outer(refs[ref], subpaths)]
        docs = _swapped(docs, ref, {t["id"]: projection.only_fields(t, keep) for t in targets})
    if expand_all:
        for ref in refs.keys() - wanted.keys():
            docs = _swapped(docs, ref, {})
    return docs


def _swapped(docs: list[Doc], ref: str, by_id: dict[str, Doc]) -> list[Doc]:
    """Each id at `ref` replaced by its joined document, or `{id}` when there is none."""
    return [_replaced(doc, ref.split("."), lambda v: by_id.get(v, {"id": v})) for doc in docs]


def below(refs: Collection[str], paths: Collection[str]) -> dict[str, list[str]]:
    """Reference path -> the paths requested inside it (only references with some)."""
    out: dict[str, list[str]] = {}
    for path in paths:
        ref = next((r for r in refs if path.startswith(f"{r}.")), None)
        if ref is not None:
            out.setdefault(ref, []).append(path[len(ref) + 1 :])
    return out


def outer(kind: str, paths: Collection[str]) -> list[str]:
    """The paths to project a document of `kind` to once it is joined: a path into a joined
    reference keeps that reference whole (`project.name` -> `project`)."""
    refs = REFERENCES[kind]
    return [next((r for r in refs if p.startswith(f"{r}.")), p) for p in paths]


def _ids(value: Any, parts: Sequence[str]) -> list[str]:
    if isinstance(value, list):
        return [i for item in value for i in _ids(item, parts)]
    if not isinstance(value, dict) or parts[0] not in value:
        return []
    inner = value[parts[0]]
    if len(parts) > 1:
        return _ids(inner, parts[1:])
    return [inner] if isinstance(inner, str) and inner else []


def _replaced(value: Any, parts: Sequence[str], swap: Callable[[str], Doc]) -> Any:
    """`value` with the id strings at the path swapped (copies along the path only)."""
    if isinstance(value, list):
        return [_replaced(item, parts, swap) for item in value]
    if not isinstance(value, dict) or parts[0] not in value:
        return value
    inner = value[parts[0]]
    if len(parts) > 1:
        return {**value, parts[0]: _replaced(inner, parts[1:], swap)}
    return {**value, parts[0]: swap(inner)} if isinstance(inner, str) and inner else value


def fetcher(svc: Services, company: str, version: str) -> Fetch:
    """Documents by kind and id, read through the views of the caller's company."""

    async def fetch(kind: str, ids: list[str], paths: list[str]) -> dict[str, Doc]:
        if kind == "task":
            fields = None if "*" in paths else outer(kind, paths)
            found = await tasks.by_ids(svc.store, company, ids, fields, version)
        elif kind == "model":
            found = await models.by_ids(svc.store, company, ids)
        elif kind == "project":
            found = [d for d in await projects.every(svc.store, company) if d["id"] in ids]
        elif kind == "queue":
            found = [d for d in await queues.listed(svc.store, company) if d["id"] in ids]
        else:
            names = await (tenancy.user_names if kind == "user" else tenancy.company_names)(
                svc.store, company
            )
            found = [{"id": i, "name": names[i]} for i in ids if i in names]
        return {doc["id"]: doc for doc in found}

    return fetch
