"""Run events folded into the control-plane view: each run's scopes, status and storage state,
and so the exact run counts the count rows carry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from commands.runs.book import RunRecord
from commands.runs.evolve import scopes
from commands.runs.messages import RunCreated, RunDeleted, RunStatusChanged, RunStorageChanged
from projections.control_view import CompanyView


def created(view: CompanyView, event: RunCreated) -> None:
    view.runs.put(event.run, RunRecord(scopes=scopes(event.resource_references)))


def status_changed(view: CompanyView, event: RunStatusChanged) -> None:
    if event.status is not None:
        view.runs.put(event.run, replace(view.runs.runs[event.run], status=event.status))


def storage_changed(view: CompanyView, event: RunStorageChanged) -> None:
    view.runs.put(event.run, replace(view.runs.runs[event.run], archived=event.archived))


def deleted(view: CompanyView, event: RunDeleted) -> None:
    view.runs.put(event.run, None)


FOLD: dict[type, Any] = {
    RunCreated: created,
    RunStatusChanged: status_changed,
    RunStorageChanged: storage_changed,
    RunDeleted: deleted,
}
