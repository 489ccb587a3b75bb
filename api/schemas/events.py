"""Request schemas of the events service (ClearML's events.conf and what our handlers read)."""

from __future__ import annotations

from api.schemas.common import (
    Schema,
    anything,
    array,
    boolean,
    enum,
    integer,
    key,
    keys,
    long,
    number,
    obj,
    page_size,
    text,
)
from commands.limits import MAX_EVENTS, MAX_INT
from commands.telemetry.metrics import EVENT_TYPES

ITERATION = {**long(), "type": ["integer", "number", "string"], "maxLength": 32}  # int() of it
# One reported event; its per-event checks (ClearML reports a bad event in errors_info and
# adds the rest) are commands/telemetry/ingest.py's, so only the shape of a lone events.add is here.
EVENT = obj(
    {"type": key(), "task": key(), "timestamp": number(-MAX_INT), "iter": ITERATION,
     "metric": key(), "variant": key(), "worker": key(), "key": key(), "value": anything(),
     "values": anything(), "plot_str": anything(), "url": text(), "level": key(), "msg": text(),
     "model_event": boolean()},
)  # fmt: skip
METRIC_VARIANTS = array(obj({"metric": key(), "variants": keys()}))
TASK = {"task": key(), "model_events": boolean()}  # model_events: `task` is a model id
SCROLL = {"scroll_id": key(), "batch_size": page_size(), "order": enum("asc", "desc")}
# debug_images and plots: [{task, metric?, variants?}], paged by iteration
BY_ITERATION = {
    "metrics": array(obj({"task": key(), "metric": key(), "variants": keys()}, "task")),
    "iters": integer(0),
    "navigate_earlier": boolean(),
    "refresh": boolean(),
    "scroll_id": key(),
    "model_events": boolean(),
}
SAMPLE = {
    "metric": key(),
    "iteration": long(),
    "refresh": boolean(),
    "scroll_id": key(),
    "navigate_current_metric": boolean(),
}
NEXT_SAMPLE = {"scroll_id": key(), "navigate_earlier": boolean(), "next_iteration": boolean()}
HISTOGRAM = {"samples": integer(0), "key": enum("iter", "timestamp", "iso_time")}


def _task(**more: Schema) -> Schema:
    return obj({**TASK, **more}, "task")


SCHEMAS: dict[str, Schema] = {
    "events.add": EVENT,
    "events.add_batch": obj({"requests": array(obj(), MAX_EVENTS)}),
    "events.delete_for_task": _task(allow_locked=boolean()),
    "events.get_task_log": _task(
        batch_size=page_size(), navigate_earlier=boolean(), from_timestamp=number(-MAX_INT),
        order=enum("asc", "desc"),
    ),
    "events.download_task_log": _task(line_type=enum("json", "text"), line_format=key()),
    "events.get_task_events": _task(**SCROLL, event_type=key(), metric=key()),
    "events.get_scalar_metric_data": _task(**SCROLL, metric=key(), no_scroll=boolean()),
    "events.scalar_metrics_iter_histogram": _task(**HISTOGRAM, metrics=METRIC_VARIANTS),
    "events.multi_task_scalar_metrics_iter_histogram": obj(
        {"tasks": keys(), **HISTOGRAM, "metrics": METRIC_VARIANTS, "model_events": boolean()},
        "tasks",
    ),
    "events.get_scalar_metrics_and_variants": _task(),
    "events.get_task_latest_scalar_values": _task(),
    "events.get_task_plots": _task(iters=integer(0), metrics=METRIC_VARIANTS, scroll_id=key()),
    "events.get_multi_task_plots": obj({"tasks": keys(), "iters": integer(0),
                                        "scroll_id": key()}, "tasks"),
    "events.debug_images": obj({**TASK, **BY_ITERATION}),
    "events.plots": obj(BY_ITERATION, "metrics"),
    "events.get_debug_image_sample": _task(**SAMPLE, variant=key()),
    "events.next_debug_image_sample": _task(**NEXT_SAMPLE),
    "events.get_plot_sample": _task(**SAMPLE),
    "events.next_plot_sample": _task(**NEXT_SAMPLE),
    "events.scalar_metrics_iter_raw": _task(
        metric=obj({"metric": key(), "variants": keys()}), key=enum("iter", "timestamp"),
        batch_size=integer(0), count_total=boolean(), scroll_id=key(),
    ),
    "events.get_vector_metrics_and_variants": _task(),
    "events.vector_metrics_iter_histogram": _task(metric=key(), variant=key()),
    "events.get_task_single_value_metrics": obj({"tasks": keys()}, "tasks"),
    "events.get_task_metrics": obj(
        {"tasks": keys(), "event_type": enum(*EVENT_TYPES), "model_events": boolean()}, "tasks"
    ),
    "events.get_multi_task_metrics": obj(
        {"tasks": keys(), "event_type": enum(*EVENT_TYPES), "model_events": boolean()}, "tasks"
    ),
}  # fmt: skip
