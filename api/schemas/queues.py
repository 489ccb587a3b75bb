"""Request schemas of the queues service (ClearML's queues.conf and what our handlers read)."""

from __future__ import annotations

from api.schemas.common import (
    PAGING,
    Schema,
    array,
    boolean,
    date,
    integer,
    key,
    keys,
    obj,
    str_map,
    text,
)

QUEUE = {"queue": key()}
ENTRY = {**QUEUE, "task": key()}
METADATA = obj({"key": key(), "type": key(), "value": text()}, "key")
# queues.create / update take metadata as ClearML's map of key -> item, or as a list of items
METADATA_SET = {
    **array(METADATA),
    **str_map(obj({"key": key(), "type": key(), "value": text()})),
    "type": ["object", "array"],
}


def _queue(**more: Schema) -> Schema:
    return obj({**QUEUE, **more}, "queue")


def _entry(**more: Schema) -> Schema:
    return obj({**ENTRY, **more}, "queue", "task")


LISTING = obj(
    {
        **PAGING,
        "display_name": key(),
        "max_task_entries": integer(0),
        "scroll_id": key(),
        "refresh_scroll": boolean(),
    }
)
SCHEMAS: dict[str, Schema] = {
    "queues.create": obj({"name": key(), "display_name": key(), "tags": keys(),
                          "system_tags": keys(), "metadata": METADATA_SET}, "name"),
    "queues.update": _queue(name=key(), display_name=key(), tags=keys(), system_tags=keys(),
                            metadata=METADATA_SET),
    "queues.delete": _queue(force=boolean()),
    "queues.get_by_id": _queue(max_task_entries=integer(0)),
    "queues.get_all": LISTING,
    "queues.get_all_ex": LISTING,
    "queues.get_default": obj(),
    "queues.add_task": _entry(update_execution_queue=boolean()),
    "queues.get_next_task": _queue(task=key(), get_task_info=boolean()),
    "queues.remove_task": _entry(update_task_status=boolean()),
    "queues.move_task_forward": _entry(count=integer(1)),
    "queues.move_task_backward": _entry(count=integer(1)),
    "queues.move_task_to_front": _entry(),
    "queues.move_task_to_back": _entry(),
    "queues.clear_queue": _queue(),
    "queues.add_or_update_metadata": _queue(metadata=array(METADATA),
                                            replace_metadata=boolean()),
    "queues.delete_metadata": _queue(keys=keys()),
    "queues.peek_task": _queue(),
    "queues.get_num_entries": _queue(),
    "queues.get_queue_metrics": obj(
        {"from_date": date(), "to_date": date(), "interval": integer(1),
         "queue_ids": keys(), "refresh": boolean()},
        "from_date", "to_date", "interval",
    ),
    "queues.get_history": _queue(),
}  # fmt: skip
