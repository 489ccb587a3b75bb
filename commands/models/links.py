"""Which tasks use which models as inputs: folded from the model items of task patches, so a
model delete can refuse a model in use (ClearML's model_in_use) without reading a read model."""

from __future__ import annotations

from commands.state import CompanyState
from commands.tasks.patch import MODEL, Patch

INPUT = "input"


def fold_patch(state: CompanyState, task_id: str, patch_json: str) -> None:
    """Apply a task patch's input-model items (clear, then put, then drop, as the read model)."""
    if f'"{MODEL}"' not in patch_json:  # most edits touch no model: skip parsing them
        return
    patch = Patch.from_json(patch_json)
    links = dict(state.model_inputs.get(task_id, {}))
    if any(kind == MODEL and section in (None, INPUT) for kind, section in patch.clear):
        links.clear()
    for kind, section, name, item in patch.put:
        if kind == MODEL and section == INPUT and isinstance(item, dict) and item.get("model"):
            links[name] = str(item["model"])
    for kind, section, name in patch.drop:
        if kind == MODEL and section == INPUT:
            links.pop(name, None)
    _store(state, task_id, links)


def forget_task(state: CompanyState, task_id: str) -> None:
    state.model_inputs.pop(task_id, None)


def users(state: CompanyState, model_id: str) -> list[str]:
    """The tasks that use the model as an input."""
    return [task for task, links in state.model_inputs.items() if model_id in links.values()]


def _store(state: CompanyState, task_id: str, links: dict[str, str]) -> None:
    if links:
        state.model_inputs[task_id] = links
    else:
        state.model_inputs.pop(task_id, None)
