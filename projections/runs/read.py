"""Reading one KFP run: its document (as listed, or in detail) and its artifacts' bytes."""

from __future__ import annotations

from typing import Any

from projections.query_port import Query
from projections.runs import documents
from projections.runs.rows import ARTIFACTS, DOCS

SELECT_DOC = f"SELECT * FROM {DOCS} WHERE company = ? AND id = ?"
# what documents.run shows: a listing leaves out the node statuses (GetRun's workflow)
LISTED = (
    "id, name, description, pipeline_spec, resource_references, service_account, created_at,"
    " scheduled_at, finished_at, status, error, storage_state, metrics"
)
SELECT_LISTED = f"SELECT {LISTED} FROM {DOCS} WHERE company = ? AND id IN ?"
SELECT_ARTIFACT = (
    f"SELECT chunk, data, size, chunks FROM {ARTIFACTS}"
    " WHERE company = ? AND run = ? AND node = ? AND name = ?"
)


async def listed(store: Query, company: str, runs: list[str]) -> list[dict[str, Any]]:
    """The runs as ListRuns shows them, in the order given, leaving out those gone: one read
    of the listed columns only."""
    if not runs:
        return []
    rows = {r["id"]: r for r in await store.execute(SELECT_LISTED, [company, runs])}
    return [documents.run(rows[run]) for run in runs if run in rows]


async def detail(store: Query, company: str, run: str) -> dict[str, Any] | None:
    """The run as GetRun and CreateRun answer (with its workflow), or None if there is none."""
    rows = await store.execute(SELECT_DOC, [company, run])
    return documents.detail(rows[0]) if rows else None


async def exists(store: Query, company: str, run: str) -> bool:
    return bool(await store.execute(SELECT_DOC, [company, run]))


async def artifact(store: Query, company: str, run: str, node: str, name: str) -> bytes | None:
    """The artifact's bytes from its chunks, or None if it was never attached."""
    rows = await store.execute(SELECT_ARTIFACT, [company, run, node, name])
    meta = next((r for r in rows if r["chunk"] == -1), None)
    if meta is None:
        return None
    return b"".join(r["data"] or b"" for r in rows if 0 <= r["chunk"] < meta["chunks"])
