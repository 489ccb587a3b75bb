"""KFP runs read model: rows from run events (documents, filter attributes, sort orders, counts,
artifact chunks). Deleted runs leave their immutable order rows behind; readers skip ids whose
attribute row is gone (see projections/runs/listing.py)."""

from __future__ import annotations

import json
from typing import Any

from commands.runs.book import ARCHIVED, AVAILABLE, RunBook
from commands.runs.messages import (
    ArtifactAttached,
    RunCreated,
    RunDeleted,
    RunMetricsReported,
    RunStatusChanged,
    RunStorageChanged,
)
from commands.state import CompanyState
from projections.mutations import Delete, MapPut, Mutation, Upsert
from projections.runs import documents as run_json
from projections.runs.sort_keys import FIELDS, MUTABLE, key, metric_field

DOCS, ATTRS, ORDER, COUNTS, ARTIFACTS = (
    "kfp_runs",
    "kfp_run_attrs",
    "kfp_run_order",
    "kfp_run_counts",
    "kfp_artifacts",
)
TABLES = (DOCS, ATTRS, ORDER, COUNTS, ARTIFACTS)  # written by the decider only
CHUNK = 64 * 1024
SEP = "\x1f"  # between node id and metric name in a document's metrics map


def created(event: RunCreated, state: CompanyState) -> list[Mutation]:
    company, run = state.company, event.run
    record = state.runs.runs[run]
    attrs = {
        "name": event.name,
        "description": event.description,
        "created_at": event.created_at,
        "scheduled_at": 0,
        "status": "",
        "storage_state": AVAILABLE,
    }
    doc = {
        **attrs,
        "pipeline_spec": json.dumps(run_json.spec_json(event.pipeline_spec)),
        "resource_references": json.dumps(run_json.refs_json(event.resource_references)),
        "service_account": event.service_account,
        "finished_at": 0,
    }
    values = {**attrs, "id": run}
    rows: list[Mutation] = [
        Upsert(DOCS, {"company": company, "id": run, **doc}),
        Upsert(ATTRS, {"company": company, "id": run, **attrs}),
    ]
    rows += [_order(company, s, f, key(f, values[f]), run) for s in record.scopes for f in FIELDS]
    return rows + _counts(state.runs, company, record.scopes, [("", AVAILABLE)])


def status_changed(event: RunStatusChanged, state: CompanyState) -> list[Mutation]:
    company, run = state.company, event.run
    changes: dict[str, Any] = {}
    if event.status is not None:
        changes["status"] = event.status
    if event.finished_at is not None:
        changes["finished_at"] = event.finished_at
    if event.error is not None:
        changes["error"] = event.error
    rows: list[Mutation] = []
    if changes:
        rows.append(Upsert(DOCS, {"company": company, "id": run, **changes}))
    if event.nodes:
        nodes = {n.id: json.dumps(run_json.node_json(n)) for n in event.nodes}
        rows.append(MapPut(DOCS, {"company": company, "id": run}, "nodes", nodes))
    if event.status is not None:
        record = state.runs.runs[run]
        rows.append(Upsert(ATTRS, {"company": company, "id": run, "status": event.status}))
        rows += _move(company, record.scopes, "status", (event.previous, event.status), run)
        combos = [(event.previous, record.storage_state), (event.status, record.storage_state)]
        rows += _counts(state.runs, company, record.scopes, combos)
    return rows


def storage_changed(event: RunStorageChanged, state: CompanyState) -> list[Mutation]:
    company, run = state.company, event.run
    record = state.runs.runs[run]
    new, old = (ARCHIVED, AVAILABLE) if event.archived else (AVAILABLE, ARCHIVED)
    rows: list[Mutation] = [
        Upsert(DOCS, {"company": company, "id": run, "storage_state": new}),
        Upsert(ATTRS, {"company": company, "id": run, "storage_state": new}),
    ]
    rows += _move(company, record.scopes, "storage_state", (old, new), run)
    combos = [(record.status, old), (record.status, new)]
    return rows + _counts(state.runs, company, record.scopes, combos)


def deleted(event: RunDeleted, state: CompanyState) -> list[Mutation]:
    company, run = state.company, event.run
    storage = ARCHIVED if event.archived else AVAILABLE
    rows: list[Mutation] = [
        Delete(DOCS, {"company": company, "id": run}),
        Delete(ATTRS, {"company": company, "id": run}),
        Delete(ARTIFACTS, {"company": company, "run": run}),
    ]
    for scope in event.scopes:
        for field, value in zip(MUTABLE, (event.status, storage), strict=True):
            rows.append(Delete(ORDER, _order_key(company, scope, field, key(field, value), run)))
    return rows + _counts(state.runs, company, event.scopes, [(event.status, storage)])


def metrics_reported(event: RunMetricsReported, state: CompanyState) -> list[Mutation]:
    company, run = state.company, event.run
    where = {"company": company, "id": run}
    docs = {f"{m.node_id}{SEP}{m.name}": json.dumps(run_json.metric_json(m)) for m in event.metrics}
    attrs = {m.name.casefold(): m.number_value for m in event.metrics}
    rows: list[Mutation] = [
        MapPut(DOCS, where, "metrics", docs),
        MapPut(ATTRS, where, "metrics", attrs),
    ]
    for scope in state.runs.runs[run].scopes:
        for m in event.metrics:
            rows.append(
                _order(company, scope, metric_field(m.name), key("metric:", m.number_value), run)
            )
    return rows


def artifact_attached(event: ArtifactAttached, state: CompanyState) -> list[Mutation]:
    where = {"company": state.company, "run": event.run, "node": event.node, "name": event.name}
    chunks = [event.data[i : i + CHUNK] for i in range(0, len(event.data), CHUNK)]
    meta = Upsert(ARTIFACTS, {**where, "chunk": -1, "size": len(event.data), "chunks": len(chunks)})
    return [
        meta,
        *(Upsert(ARTIFACTS, {**where, "chunk": n, "data": c}) for n, c in enumerate(chunks)),
    ]


def _move(
    company: str, scopes: tuple[str, ...], field: str, change: tuple[str, str], run: str
) -> list[Mutation]:
    old, new = change
    rows: list[Mutation] = []
    for scope in scopes:
        rows.append(Delete(ORDER, _order_key(company, scope, field, key(field, old), run)))
        rows.append(_order(company, scope, field, key(field, new), run))
    return rows


def _order(company: str, scope: str, field: str, sort_key: str, run: str) -> Upsert:
    return Upsert(ORDER, _order_key(company, scope, field, sort_key, run))


def _order_key(company: str, scope: str, field: str, sort_key: str, run: str) -> dict[str, Any]:
    return {"company": company, "scope": scope, "field": field, "key": sort_key, "id": run}


def _counts(
    book: RunBook, company: str, scopes: tuple[str, ...], combos: list[tuple[str, str]]
) -> list[Mutation]:
    """Absolute counts of the touched (scope, status, storage state) combinations."""
    return [
        Upsert(
            COUNTS,
            {
                "company": company,
                "scope": scope,
                "status": status,
                "storage_state": storage,
                "runs": book.count(scope, status, storage),
            },
        )
        for scope in scopes
        for status, storage in combos
    ]


ROWS: dict[type, Any] = {
    RunCreated: created,
    RunStatusChanged: status_changed,
    RunStorageChanged: storage_changed,
    RunDeleted: deleted,
    RunMetricsReported: metrics_reported,
    ArtifactAttached: artifact_attached,
}
