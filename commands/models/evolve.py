"""Model folds: events into the decision-relevant part of each model."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from commands.models import links
from commands.models import messages as m
from commands.state import CompanyState, Model

TRACKED = ("name", "uri", "ready", "task", "project", "system_tags")


def created(state: CompanyState, event: m.ModelCreated) -> CompanyState:
    state.models[event.model] = Model(
        event.model, event.name, event.at, event.at, event.uri, event.ready,
        event.task, event.project, event.system_tags,
    )  # fmt: skip
    return state


def edited(state: CompanyState, event: m.ModelEdited) -> CompanyState:
    changes = orjson.loads(event.changes)
    tracked: dict[str, Any] = {k: v for k, v in changes.items() if k in TRACKED}
    if "system_tags" in tracked:
        tracked["system_tags"] = tuple(tracked["system_tags"] or ())
    return _update(state, event.model, event.at, **tracked)


def published(state: CompanyState, event: m.ModelPublished) -> CompanyState:
    return _update(state, event.model, event.at, ready=True)


def tags_changed(state: CompanyState, event: m.ModelArchived | m.ModelUnarchived) -> CompanyState:
    return _update(state, event.model, event.at, system_tags=event.system_tags)


def deleted(state: CompanyState, event: m.ModelDeleted) -> CompanyState:
    state.models.pop(event.model, None)
    links.fold_repointed(state, orjson.loads(event.inputs))
    return state


def metadata_changed(state: CompanyState, event: m.ModelMetadataChanged) -> CompanyState:
    return _update(state, event.model, event.at)


def publish_with_task(state: CompanyState, model_id: str | None, at: int) -> None:
    """A task published with its output model: the model becomes ready too."""
    if model_id and model_id in state.models:
        _update(state, model_id, at, ready=True)


def _update(state: CompanyState, model_id: str, at: int, **changes: Any) -> CompanyState:
    model = state.models.get(model_id)
    if model is not None:
        state.models[model_id] = replace(model, last_update=at, **changes)
    return state
