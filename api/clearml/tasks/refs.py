"""Task documents shaped for a reply as ClearML shapes them: references joined (api/clearml/
joins.py) where only_fields reaches into them, every reference an object in the _ex reads, and
the projection applied with the legacy paths read where ClearML keeps them now."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.clearml import joins
from api.services import Services
from projections import projection
from projections.tasks import versions

# what the _ex reads join when no only_fields is given: the names the web app shows
NAMED = ("user.name", "project.name", "company.name", "parent.name")
# legacy path -> where ClearML keeps its values now (it rewrites only_fields so), and the
# version from which replies no longer carry the legacy field
LEGACY_PATHS = {
    "execution.parameters": ("hyperparams.Args", (2, 9)),
    "execution.model_desc": ("configuration", (2, 9)),
    "execution.docker_cmd": ("container", (2, 13)),
}


async def shaped(
    svc: Services,
    company: str,
    docs: list[dict[str, Any]],
    only_fields: Sequence[str] | None,
    *,
    version: str,
    ex: bool,
) -> list[dict[str, Any]]:
    """The documents joined and projected for a tasks.get_* reply."""
    if not docs:
        return docs
    paths = read_paths(only_fields, version) if only_fields else (NAMED if ex else ())
    fetch = joins.fetcher(svc, company, version)
    docs = await joins.joined(fetch, "task", docs, paths, expand_all=ex)
    if not only_fields:
        return docs
    kept = joins.outer("task", paths)
    return [projection.only_fields(doc, kept) for doc in docs]


def read_paths(only_fields: Sequence[str], version: str) -> list[str]:
    """The requested paths with each legacy one read where its values live now, and kept
    itself only for the versions whose replies still carry it."""
    wanted = versions.version_key(version)
    out = []
    for path in only_fields:
        old = next((o for o in LEGACY_PATHS if path == o or path.startswith(f"{o}.")), None)
        if old is None:
            out.append(path)
            continue
        new, dropped_in = LEGACY_PATHS[old]
        out += [new + path[len(old) :], *([path] if wanted < dropped_in else [])]
    return list(dict.fromkeys(out))
