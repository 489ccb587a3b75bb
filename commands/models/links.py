"""Which tasks use which models as inputs: folded from the model items of task patches, so a
model delete can refuse a model in use (ClearML's model_in_use) without reading a read model,
and a forced one can re-point those items at the deleted marker, as ClearML does."""

from __future__ import annotations

from typing import Any

import orjson

from commands.state import CompanyState, InputLink
from commands.tasks.patch import MODEL, Patch

INPUT = "input"
DELETED_PREFIX = "__DELETED__"

Items = dict[str, dict[str, Any]]  # task -> name -> input-model item


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
            links[name] = _link(item)
    for kind, section, name in patch.drop:
        if kind == MODEL and section == INPUT:
            links.pop(name, None)
    _store(state, task_id, links)


def forget_task(state: CompanyState, task_id: str) -> None:
    state.model_inputs.pop(task_id, None)


def users(state: CompanyState, model_id: str) -> list[str]:
    """The tasks that use the model as an input."""
    return [
        task
        for task, links in state.model_inputs.items()
        if any(link.model == model_id for link in links.values())
    ]


def repointed(state: CompanyState, model_id: str) -> Items:
    """The input items naming the model, each naming `__DELETED__<model>` instead."""
    out: Items = {}
    for task, links in state.model_inputs.items():
        for name, link in links.items():
            if link.model == model_id:
                item = orjson.loads(link.item)
                out.setdefault(task, {})[name] = {**item, "model": f"{DELETED_PREFIX}{model_id}"}
    return out


def fold_repointed(state: CompanyState, items: Items) -> None:
    for task, named in items.items():
        if task in state.model_inputs:
            links = dict(state.model_inputs[task])
            links.update({name: _link(item) for name, item in named.items()})
            state.model_inputs[task] = links


def _link(item: dict[str, Any]) -> InputLink:
    return InputLink(str(item["model"]), orjson.dumps(item).decode())


def _store(state: CompanyState, task_id: str, links: dict[str, InputLink]) -> None:
    if links:
        state.model_inputs[task_id] = links
    else:
        state.model_inputs.pop(task_id, None)
