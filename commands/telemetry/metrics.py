"""Task telemetry as it travels on ts.metrics (key = task id): reported events and clears.

One record carries everything one request reported for one task, so Python pays the
per-message cost once per (request, task) instead of once per point. Scalars, by far the
most numerous, travel as parallel arrays (a small series table plus one entry per point);
the other four event types travel as records.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands.base import Telemetry

SCALAR = "training_stats_scalar"
VECTOR = "training_stats_vector"
IMAGE = "training_debug_image"
PLOT = "plot"
LOG = "log"
EVENT_TYPES = (SCALAR, VECTOR, IMAGE, PLOT, LOG)


@dataclass(frozen=True)
class ReportedEvent:
    """A vector, debug image, plot or log event, validated and with its ClearML id.

    `plot_data` holds a zlib-compressed plot_str for plots of 100,000 characters or more;
    `extra` is the JSON of any further fields the client sent, returned as they came.
    """

    type: str
    id: str
    timestamp: int
    iter: int | None = None
    metric: str = ""
    variant: str = ""
    worker: str | None = None
    values: tuple[float, ...] = ()
    plot_str: str | None = None
    plot_data: bytes | None = None
    plot_len: int = 0
    url: str | None = None
    key: str | None = None
    level: str | None = None
    msg: str | None = None
    extra: str | None = None


@dataclass(frozen=True)
class TaskEventsReported(Telemetry):
    """What one request reported for one task.

    Scalar point i belongs to series scalar_series[i], an index into the series table
    (series_metrics[j], series_variants[j]); its iteration, value and timestamp (epoch ms)
    are at index i of the other scalar arrays.
    """

    task: str
    received: int
    worker: str | None = None
    series_metrics: tuple[str, ...] = ()
    series_variants: tuple[str, ...] = ()
    scalar_series: tuple[int, ...] = ()
    scalar_iters: tuple[int, ...] = ()
    scalar_values: tuple[float, ...] = ()
    scalar_timestamps: tuple[int, ...] = ()
    events: tuple[ReportedEvent, ...] = ()


@dataclass(frozen=True)
class TaskTelemetryCleared(Telemetry):
    """Everything reported for the task before this record is gone (reset, delete,
    events.delete_for_task). A clear relayed from ts.events names the event's position, so
    a relay that runs twice after a crash is recognised and the second copy ignored."""

    task: str
    reason: str
    source_partition: int | None = None
    source_offset: int | None = None
