"""The `_ex` reads' reference fields as objects, as the web app reads them: `company`, `user`,
`project` and `parent` become `{id, name}` (ClearML's expand_reference_ids and joins)."""

from __future__ import annotations

import asyncio
from typing import Any

from api.services import Services
from projections.projects import rows as project_view
from projections.tenancy import rows as tenancy_view


async def expand(svc: Services, company: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not docs:
        return docs
    users, projects, companies = await asyncio.gather(
        svc.store.execute(tenancy_view.SELECT_USERS, [company]),
        svc.store.execute(project_view.SELECT_ALL, [company]),
        svc.store.execute(tenancy_view.SELECT_COMPANY, [company]),
    )
    names = {
        "user": {u["id"]: u["name"] for u in users},
        "project": {p["id"]: p["name"] for p in projects},
        "company": {c["id"]: c["name"] for c in companies},
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
