"""tasks.* endpoints that change keyed parts of a task: requirements, hyper-parameters,
configuration, artifacts and models. Each is one EditTask with a small patch."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks.replies import now_ms, send
from api.clearml.tasks.requests import checked_list
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import FieldsConflict, ValidationError
from commands.tasks import patch as tp
from commands.tasks.messages import EditTask
from commands.tasks.patch import Patch

PROPERTIES = "properties"  # a section any status may edit, without moving last_update


async def _edit(call: Call, svc: Services, action: str, patch: Patch, **kw: Any) -> dict:
    d = call.data
    command = EditTask(
        task=fields.req_string(d, "task"),
        action=action,
        patch=patch.to_json(),
        force=kw.pop("force", fields.boolean(d, "force")),
        **kw,
    )
    return await send(call, svc, command)


async def set_requirements(call: Call, svc: Services) -> dict[str, Any]:
    requirements = fields.mapping(call.data, "requirements")
    if requirements is None:
        raise ValidationError("field 'requirements' is required")
    patch = Patch(merge={"script": {"requirements": requirements}})
    reply = await _edit(call, svc, "tasks.set_requirements", patch, rule="update")
    return {"updated": reply["updated"], "fields": {"script.requirements": requirements}}


def _sections(items: list[dict[str, Any]]) -> bool:
    """Lower-case the properties section; True when it is the only section touched."""
    for item in items:
        if str(item.get("section", "")).lower() == PROPERTIES:
            item["section"] = PROPERTIES
    return all(item.get("section") == PROPERTIES for item in items)


async def edit_hyper_params(call: Call, svc: Services) -> dict[str, Any]:
    items = checked_list(call.data.get("hyperparams"), "hyperparams", ("section", "name"))
    properties = _sections(items)
    replace = fields.string(call.data, "replace_hyperparams") or "none"
    patch = Patch(put=[(tp.HYPERPARAMS, i["section"], i["name"], i) for i in items])
    if replace == "all":
        patch.clear.append((tp.HYPERPARAMS, None))
    elif replace == "section":
        patch.clear += [(tp.HYPERPARAMS, s) for s in dict.fromkeys(i["section"] for i in items)]
    rule = "properties" if properties else "documents"
    reply = await _edit(
        call, svc, "tasks.edit_hyper_params", patch, rule=rule, touched=not properties
    )
    return {"updated": reply["updated"]}


async def delete_hyper_params(call: Call, svc: Services) -> dict[str, Any]:
    items = checked_list(call.data.get("hyperparams"), "hyperparams", ("section",))
    properties = _sections(items)
    sections = {i["section"] for i in items if not i.get("name")}
    patch = Patch(clear=[(tp.HYPERPARAMS, s) for s in sorted(sections)])
    for item in (i for i in items if i.get("name")):
        if item["section"] in sections:
            raise FieldsConflict(
                "Cannot delete section field if the whole section was scheduled for deletion"
            )
        patch.drop.append((tp.HYPERPARAMS, item["section"], item["name"]))
    rule = "properties" if properties else "documents"
    reply = await _edit(
        call, svc, "tasks.delete_hyper_params", patch, rule=rule, touched=not properties
    )
    return {"deleted": reply["updated"]}


async def edit_configuration(call: Call, svc: Services) -> dict[str, Any]:
    items = checked_list(call.data.get("configuration"), "configuration", ("name",))
    patch = Patch(put=[(tp.CONFIGURATION, i["name"], "", i) for i in items])
    if fields.boolean(call.data, "replace_configuration"):
        patch.clear.append((tp.CONFIGURATION, None))
    reply = await _edit(call, svc, "tasks.edit_configuration", patch, rule="documents")
    return {"updated": reply["updated"]}


async def delete_configuration(call: Call, svc: Services) -> dict[str, Any]:
    names = fields.strings(call.data, "configuration", required=True) or ()
    patch = Patch(drop=[(tp.CONFIGURATION, name, "") for name in dict.fromkeys(names)])
    reply = await _edit(call, svc, "tasks.delete_configuration", patch, rule="documents")
    return {"deleted": reply["updated"]}


async def add_or_update_artifacts(call: Call, svc: Services) -> dict[str, Any]:
    artifacts = checked_list(call.data.get("artifacts"), "artifacts", ("key", "type"))
    patch = Patch(put=tp.artifact_items(artifacts))
    reply = await _edit(
        call, svc, "tasks.add_or_update_artifacts", patch, rule="documents", force=True
    )
    return {"updated": reply["updated"]}


async def delete_artifacts(call: Call, svc: Services) -> dict[str, Any]:
    artifacts = checked_list(call.data.get("artifacts"), "artifacts", ("key",))
    patch = Patch(drop=[(tp.ARTIFACT, a.get("mode") or "output", a["key"]) for a in artifacts])
    reply = await _edit(call, svc, "tasks.delete_artifacts", patch, rule="documents", force=True)
    return {"deleted": reply["updated"]}


async def add_or_update_model(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    kind = fields.req_string(d, "type")
    if kind not in ("input", "output"):
        raise ValidationError("field 'type' must be input or output", type=kind)
    name, model, now = fields.req_string(d, "name"), fields.req_string(d, "model"), now_ms()
    item = {"name": name, "model": model, "updated": now, "seq": now}
    patch = Patch(put=[(tp.MODEL, kind, name, item)])
    reply = await _edit(call, svc, "tasks.add_or_update_model", patch, rule="documents", force=True)
    return {"updated": reply["updated"]}


async def delete_models(call: Call, svc: Services) -> dict[str, Any]:
    models = checked_list(call.data.get("models"), "models", ("name", "type"))
    patch = Patch(drop=[(tp.MODEL, m["type"], m["name"]) for m in models])
    reply = await _edit(call, svc, "tasks.delete_models", patch, rule="documents", force=True)
    return {"updated": reply["updated"]}


ENDPOINTS = [
    Endpoint("tasks.set_requirements", set_requirements),
    Endpoint("tasks.edit_hyper_params", edit_hyper_params, min_version="2.9"),
    Endpoint("tasks.delete_hyper_params", delete_hyper_params, min_version="2.9"),
    Endpoint("tasks.edit_configuration", edit_configuration, min_version="2.9"),
    Endpoint("tasks.delete_configuration", delete_configuration, min_version="2.9"),
    Endpoint("tasks.add_or_update_artifacts", add_or_update_artifacts, min_version="2.10"),
    Endpoint("tasks.delete_artifacts", delete_artifacts, min_version="2.10"),
    Endpoint("tasks.add_or_update_model", add_or_update_model, min_version="2.13"),
    Endpoint("tasks.delete_models", delete_models, min_version="2.13"),
]
