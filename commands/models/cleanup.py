"""What deleting a task does to the models it created, as ClearML's task cleanup: drafts that
no other task uses go with it, the rest stay and point at `__DELETED__<task id>`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from commands import errors
from commands.models import links
from commands.models.links import DELETED_PREFIX
from commands.state import CompanyState, Model


@dataclass(frozen=True)
class Outputs:
    deleted: tuple[str, ...]
    kept: tuple[str, ...]
    urls: tuple[str, ...]  # of the drafts no other task uses, deleted or not

    def reply(self, with_urls: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "updated_models": len(self.kept),
            "deleted_models": len(self.deleted),
        }
        if with_urls:
            out["urls"] = {"model_urls": list(self.urls), "artifact_urls": [], "event_urls": []}
        return out


def output_models(state: CompanyState, task_id: str, force: bool, delete_drafts: bool) -> Outputs:
    """Raises when a published output model blocks an unforced delete."""
    own = [m for m in state.models.values() if m.task == task_id]
    published = [m.id for m in own if m.ready]
    if published and not force:
        raise errors.TaskCannotBeDeleted("has published models, use force=True", models=published)
    free = [m for m in own if not m.ready and not _used_elsewhere(state, m, task_id)]
    deleted = tuple(m.id for m in free) if delete_drafts else ()
    kept = tuple(m.id for m in own if m.id not in deleted)
    return Outputs(deleted, kept, tuple(m.uri for m in free if m.uri))


def _used_elsewhere(state: CompanyState, model: Model, task_id: str) -> bool:
    return any(user != task_id for user in links.users(state, model.id))


def task_deleted(
    state: CompanyState, task_id: str, deleted: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    """Fold: the deleted drafts are gone, the kept models point at the deleted task."""
    for model_id in deleted:
        state.models.pop(model_id, None)
    for model_id in kept:
        if (model := state.models.get(model_id)) is not None:
            state.models[model_id] = _repointed(model, task_id)


def task_reset(state: CompanyState, deleted: tuple[str, ...], kept: tuple[str, ...]) -> None:
    """Fold: as a delete, but the kept models lose their task instead (ClearML unsets it)."""
    for model_id in deleted:
        state.models.pop(model_id, None)
    for model_id in kept:
        if (model := state.models.get(model_id)) is not None:
            state.models[model_id] = replace(model, task=None)


def _repointed(model: Model, task_id: str) -> Model:
    return replace(model, task=f"{DELETED_PREFIX}{task_id}")
