"""The model rows telemetry checks: events reported for a model (`model_events`) need it."""

from __future__ import annotations

from collections.abc import Collection

from projections.query_port import Query

SELECT_IDS = "SELECT id FROM models WHERE company = ? AND id IN ?"


async def existing(store: Query, company: str, ids: Collection[str]) -> set[str]:
    return {r["id"] for r in await store.execute(SELECT_IDS, [company, sorted(ids)])}
