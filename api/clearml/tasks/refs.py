"""The `_ex` reads' reference fields as objects, as the web app reads them: `company`, `user`,
`project` and `parent` become `{id, name}` (ClearML's expand_reference_ids and joins)."""

from __future__ import annotations

from typing import Any

from api.services import Services
from projections.projects import read as projects
from projections.tenancy import read as tenancy


async def expand(svc: Services, company: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not docs:
        return docs
    names = {
        "user": await tenancy.user_names(svc.store, company),
        "project": await projects.names(svc.store, company),
        "company": await tenancy.company_names(svc.store, company),
        "parent": {d["id"]: d.get("name") for d in docs},
    }
    return [_expanded(doc, names) for doc in docs]


def _expanded(doc: dict[str, Any], names: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out = dict(doc)
    for field, known in names.items():
        ref = doc.get(field)
        if isinstance(ref, str) and ref:
            out[field] = {"id": ref, **({"name": known[ref]} if known.get(ref) else {})}
    return out
