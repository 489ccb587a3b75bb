"""Run events folded into the company's run book (commands/runs/book.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from commands.base import Event, Evolve
from commands.runs.book import ALL, RunRecord
from commands.runs.messages import (
    ArtifactAttached,
    ResourceRef,
    RunCreated,
    RunDeleted,
    RunMetricsReported,
    RunStatusChanged,
    RunStorageChanged,
)
from commands.state import CompanyState


def scopes(refs: tuple[ResourceRef, ...]) -> tuple[str, ...]:
    """ALL, and one scope per referenced resource (EXPERIMENT:<id>, NAMESPACE:<ns>, ...)."""
    return (ALL, *dict.fromkeys(f"{r.type}:{r.id}" for r in refs))


def created(state: CompanyState, event: RunCreated) -> CompanyState:
    state.runs.put(event.run, RunRecord(scopes=scopes(event.resource_references)))
    return state


def storage_changed(state: CompanyState, event: RunStorageChanged) -> CompanyState:
    _update(state, event.run, archived=event.archived)
    return state


def deleted(state: CompanyState, event: RunDeleted) -> CompanyState:
    state.runs.put(event.run, None)
    return state


def status_changed(state: CompanyState, event: RunStatusChanged) -> CompanyState:
    if event.status is not None:
        _update(state, event.run, status=event.status)
    return state


def metrics_reported(state: CompanyState, event: RunMetricsReported) -> CompanyState:
    record = state.runs.runs[event.run]
    names = record.metrics | {(m.node_id, m.name) for m in event.metrics}
    state.runs.runs[event.run] = replace(record, metrics=names)  # counts do not change
    return state


def artifact_attached(state: CompanyState, event: ArtifactAttached) -> CompanyState:
    return state  # decisions never depend on artifacts


def _update(state: CompanyState, run: str, **changes: Any) -> None:
    state.runs.put(run, replace(state.runs.runs[run], **changes))


EVOLVE: dict[type[Event], Evolve] = {
    RunCreated: created,
    RunStorageChanged: storage_changed,
    RunDeleted: deleted,
    RunStatusChanged: status_changed,
    RunMetricsReported: metrics_reported,
    ArtifactAttached: artifact_attached,
}
