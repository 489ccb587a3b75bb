"""Request schemas of the models service (the reference's models.* calls and what our handlers
read), and the projects calls that read models."""

from __future__ import annotations

from api.schemas.common import (
    PAGING,
    Schema,
    anything,
    array,
    boolean,
    integer,
    key,
    keys,
    long,
    obj,
    page_size,
    str_map,
    text,
)

MODEL = {"model": key()}
METADATA = obj({"key": key(), "type": key(), "value": text()}, "key")
DOCUMENT = {
    "uri": text(),
    "name": key(),
    "comment": text(),
    "tags": keys(),
    "system_tags": keys(),
    "framework": key(),
    "design": anything(),
    "labels": str_map(long()),
    "ready": boolean(),
    "public": boolean(),
    "project": key(),
    "parent": key(),
    "task": key(),
    "iteration": long(),
    "metadata": array(METADATA),
}
LISTING = obj(
    {**PAGING, "project": keys(), "task": keys(), "framework": keys(), "uri": keys(),
     "ready": boolean(), "scroll_id": key(), "refresh_scroll": boolean(),
     "include_subprojects": boolean(), "search_text": text(),
     "_all_": obj({"fields": keys(), "pattern": text()}),
     "_any_": obj({"fields": keys(), "pattern": text()})}
)  # fmt: skip
BATCH = obj({"ids": keys()}, "ids")
PROJECTS = obj({"projects": keys(), "include_system": boolean()})


def _model(**more: Schema) -> Schema:
    return obj({**MODEL, **more}, "model")


SCHEMAS: dict[str, Schema] = {
    "models.create": obj(DOCUMENT, "name", "uri"),
    "models.edit": _model(**DOCUMENT),
    "models.update": _model(**DOCUMENT),
    "models.update_for_task": obj(
        {
            "task": key(),
            "uri": text(),
            "name": key(),
            "comment": text(),
            "tags": keys(),
            "system_tags": keys(),
            "override_model_id": key(),
            "iteration": long(),
        },
        "task",
    ),
    "models.get_by_id": _model(),
    "models.get_by_id_ex": obj({"id": keys(), "only_fields": keys()}),
    "models.get_all": LISTING,
    "models.get_all_ex": LISTING,
    "models.get_frameworks": obj({"projects": keys()}),
    "models.get_history": _model(),
    "models.set_ready": _model(force_publish_task=boolean(), publish_task=boolean()),
    "models.publish_many": obj(
        {"ids": keys(), "force_publish_task": boolean(), "publish_task": boolean()}, "ids"
    ),
    "models.archive_many": BATCH,
    "models.unarchive_many": BATCH,
    "models.delete": _model(force=boolean()),
    "models.delete_many": obj({"ids": keys(), "force": boolean()}, "ids"),
    "models.add_or_update_metadata": _model(metadata=array(METADATA), replace_metadata=boolean()),
    "models.delete_metadata": obj({**MODEL, "keys": keys()}, "model", "keys"),
    "models.move": obj({"ids": keys(), "project": key(), "project_name": key()}, "ids"),
    "models.update_tags": obj({"ids": keys(), "add_tags": keys(), "remove_tags": keys()}),
    "models.make_public": obj({"ids": keys()}),
    "models.make_private": obj({"ids": keys()}),
    "projects.get_model_tags": PROJECTS,
    "projects.get_model_metadata_keys": obj(
        {
            "projects": keys(),
            "include_subprojects": boolean(),
            "page": integer(),
            "page_size": page_size(),
        }
    ),
    "projects.get_model_metadata_values": obj(
        {
            "projects": keys(),
            "key": key(),
            "include_subprojects": boolean(),
            "allow_public": boolean(),
            "page": integer(),
            "page_size": page_size(),
        },
        "key",
    ),
}
