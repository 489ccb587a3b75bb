"""Request schemas of the tasks service's actions on many tasks (archive, move, tags and the
*_many batch forms, as ClearML's tasks.conf names their fields)."""

from __future__ import annotations

from api.schemas.common import Schema, boolean, key, keys, obj, text

REASONS = {"status_reason": text(), "status_message": text()}


def _batch(**more: Schema) -> Schema:
    return obj({"ids": keys(), **REASONS, **more}, "ids")


CLEANUP = {
    "force": boolean(),
    "return_file_urls": boolean(),
    "delete_output_models": boolean(),
    "delete_external_artifacts": boolean(),
}
SCHEMAS: dict[str, Schema] = {
    "tasks.archive": obj(
        {"tasks": keys(), **REASONS, "include_pipeline_steps": boolean()}, "tasks"
    ),
    "tasks.archive_many": _batch(include_pipeline_steps=boolean()),
    "tasks.unarchive_many": _batch(include_pipeline_steps=boolean()),
    "tasks.stop_many": _batch(force=boolean(), include_pipeline_steps=boolean()),
    "tasks.publish_many": _batch(force=boolean(), publish_model=boolean()),
    "tasks.enqueue_many": _batch(
        queue=key(), queue_name=key(), validate_tasks=boolean(), verify_watched_queue=boolean()
    ),
    "tasks.dequeue_many": _batch(remove_from_all_queues=boolean(), new_status=key()),
    "tasks.reset_many": _batch(clear_all=boolean(), **CLEANUP),
    "tasks.delete_many": _batch(
        move_to_trash=boolean(), include_pipeline_steps=boolean(), **CLEANUP
    ),
    "tasks.move": obj({"ids": keys(), "project": key(), "project_name": key()}, "ids"),
    "tasks.update_tags": obj({"ids": keys(), "add_tags": keys(), "remove_tags": keys()}, "ids"),
    "tasks.make_public": obj({"ids": keys()}, "ids"),
    "tasks.make_private": obj({"ids": keys()}, "ids"),
}
