"""Request schemas of the tasks service (ClearML's tasks.conf and what our handlers read)."""

from __future__ import annotations

from api.schemas.common import (
    PAGING,
    Schema,
    anything,
    array,
    boolean,
    enum,
    integer,
    key,
    keys,
    long,
    obj,
    scalar,
    str_map,
    text,
)

TYPES = (
    "training", "testing", "inference", "data_processing", "application", "monitor",
    "controller", "optimizer", "service", "qc", "custom",
)  # fmt: skip
PARAM = obj(
    {"section": key(), "name": key(), "value": text(), "type": key(), "description": text()}
)
CONFIG_ITEM = obj({"name": key(), "value": text(), "type": key(), "description": text()})
ARTIFACT = obj(
    {"key": key(), "type": key(), "mode": enum("input", "output"), "uri": text(),
     "hash": key(), "content_size": long(0), "timestamp": long(), "type_data": obj(),
     "display_data": array(array(anything())), "url": text()},
)  # fmt: skip
MODEL = obj({"name": key(), "model": key(), "updated": anything()})
HYPERPARAMS = str_map(str_map(PARAM))  # section -> name -> parameter
CONFIGURATION = str_map(CONFIG_ITEM)
SCRIPT = obj(
    {"binary": key(), "repository": text(), "tag": key(), "branch": key(), "version_num": key(),
     "entry_point": text(), "working_dir": text(), "requirements": obj(), "diff": text()},
)  # fmt: skip
EXECUTION = obj(
    {"queue": key(), "parameters": str_map(scalar()), "model_desc": str_map(scalar()),
     "model": key(), "model_labels": str_map(integer(-(2**31))), "framework": key(),
     "docker_cmd": text(), "artifacts": array(ARTIFACT)},
)  # fmt: skip
MODELS = obj({"input": array(MODEL), "output": array(MODEL)})
CONTAINER = str_map(text())
TASK_FIELDS: dict[str, Schema] = {
    "name": key(), "type": enum(*TYPES), "comment": text(), "parent": key(), "project": key(),
    "tags": keys(), "system_tags": keys(), "input": obj(), "output_dest": text(),
    "output": obj({"destination": text(), "model": key()}), "execution": EXECUTION,
    "script": SCRIPT, "hyperparams": HYPERPARAMS, "configuration": CONFIGURATION,
    "models": MODELS, "container": CONTAINER, "runtime": obj(),
}  # fmt: skip
TASK = {"task": key()}
MULTI = obj({"pattern": key(), "fields": array(key())})  # _any_ / _all_ of tasks.get_all
STATUS = {**TASK, "force": boolean(), "status_reason": text(), "status_message": text()}


def _task(**more: Schema) -> Schema:
    return obj({**TASK, **more}, "task")


def _status(**more: Schema) -> Schema:
    return obj({**STATUS, **more}, "task")


SCHEMAS: dict[str, Schema] = {
    "tasks.get_by_id": _task(),
    "tasks.get_all": obj(
        {
            **PAGING,
            "status": keys(),
            "project": keys(),
            "type": keys(),
            "parent": keys(),
            "user": keys(),
            "scroll_id": key(),
            "refresh_scroll": boolean(),
            "_any_": MULTI,
            "_all_": MULTI,
        }
    ),
    "tasks.get_hyper_params": obj({"tasks": keys()}, "tasks"),
    "tasks.get_configurations": obj({"tasks": keys(), "names": keys()}, "tasks"),
    "tasks.get_configuration_names": obj({"tasks": keys(), "skip_empty": boolean()}, "tasks"),
    "tasks.create": obj(TASK_FIELDS, "name"),
    "tasks.edit": _task(**TASK_FIELDS, force=boolean()),
    "tasks.update": _task(
        name=key(),
        comment=text(),
        tags=keys(),
        system_tags=keys(),
        project=key(),
        parent=key(),
        force=boolean(),
    ),
    "tasks.clone": _task(
        new_task_name=key(),
        new_task_comment=text(),
        new_task_tags=keys(),
        new_task_system_tags=keys(),
        new_task_parent=key(),
        new_task_project=key(),
        new_project_name=key(),
        new_task_hyperparams=HYPERPARAMS,
        new_task_configuration=CONFIGURATION,
        new_task_container=CONTAINER,
        new_task_input_models=array(obj({"name": key(), "model": key()}, "name", "model")),
        execution_overrides=EXECUTION,
        validate_references=boolean(),
    ),
    "tasks.set_requirements": _task(requirements=obj({"pip": text(), "conda": text()})),
    "tasks.edit_hyper_params": _task(
        hyperparams=array(PARAM),
        replace_hyperparams=enum("none", "section", "all"),
        force=boolean(),
    ),
    "tasks.delete_hyper_params": _task(
        hyperparams=array(obj({"section": key(), "name": key()})), force=boolean()
    ),
    "tasks.edit_configuration": _task(
        configuration=array(CONFIG_ITEM), replace_configuration=boolean(), force=boolean()
    ),
    "tasks.delete_configuration": _task(configuration=keys(), force=boolean()),
    "tasks.add_or_update_artifacts": _task(artifacts=array(ARTIFACT), force=boolean()),
    "tasks.delete_artifacts": _task(
        artifacts=array(obj({"key": key(), "mode": key()})), force=boolean()
    ),
    "tasks.add_or_update_model": _task(
        name=key(), model=key(), type=enum("input", "output"), iteration=long()
    ),
    "tasks.delete_models": _task(models=array(obj({"name": key(), "type": key()}))),
    "tasks.started": _status(),
    "tasks.stopped": _status(),
    "tasks.failed": _status(),
    "tasks.completed": _status(publish=boolean()),
    "tasks.close": _status(),
    "tasks.publish": _status(publish_model=boolean()),
    "tasks.stop": _status(),
    "tasks.reset": _status(clear_all=boolean()),
    "tasks.delete": _status(
        move_to_trash=boolean(), return_file_urls=boolean(), delete_output_models=boolean()
    ),
    "tasks.enqueue": _status(
        queue=key(),
        queue_name=key(),
        verify_watched_queue=boolean(),
        update_execution_queue=boolean(),
    ),
    "tasks.dequeue": _status(remove_from_all_queues=boolean(), new_status=key()),
    "tasks.ping": _task(),
    "tasks.get_history": _task(),
}
SCHEMAS["tasks.get_all_ex"] = SCHEMAS["tasks.get_all"]
SCHEMAS["tasks.get_by_id_ex"] = SCHEMAS["tasks.get_all"]
PROJECTS = {"projects": array(key()), "include_system": {"type": "boolean"}}
SCHEMAS["projects.get_task_tags"] = obj(PROJECTS)
SCHEMAS["projects.get_task_parents"] = obj({**PROJECTS, "task_status": array(key())})
SCHEMAS["tasks.get_types"] = obj(PROJECTS)
SCHEMAS["organization.get_tags"] = obj({"include_system": {"type": "boolean"}, "filter": obj()})
