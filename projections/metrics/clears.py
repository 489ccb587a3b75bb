"""Relay tasks.reset / tasks.delete from ts.events into ts.metrics as TaskTelemetryCleared.

The telemetry rows of a task have one writer, the metrics projector, whose write times are
ts.metrics positions; a delete timed by a ts.events position would not order against them.
So the clear travels into the task's own ts.metrics partition and is applied there, in
order with the task's reports. It names its source position, so a relay repeated after a
crash is recognised by the metrics projection and ignored.
"""

from __future__ import annotations

from collections.abc import Sequence

from commands.envelopes import following
from commands.telemetry.metrics import TaskTelemetryCleared
from projections.mutations import Emit, Positioned, Write

CLEARING = {"TaskReset": "reset", "TaskDeleted": "delete"}


class ClearRelay:
    name = "telemetry-clears"
    topic = "events"
    tables = ()  # it only emits: the metrics projection applies the clears

    def project(self, batch: Sequence[Positioned]) -> list[Write | Emit]:
        return [_emit(item) for item in batch if type(item.message).__name__ in CLEARING]


def _emit(item: Positioned) -> Emit:
    task = item.message.task
    cause = item.envelope
    message = TaskTelemetryCleared(
        task, CLEARING[type(item.message).__name__], item.partition, item.offset
    )
    event_id = f"clear-{item.partition}-{item.offset}"
    envelope = following(cause, message, ("task", task), event_id, cause.occurred_at)
    return Emit("metrics", task, envelope, message)
