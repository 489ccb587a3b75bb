"""Every telemetry message type: appended by the API, projected in batches, never decided."""

from __future__ import annotations

from commands.base import Telemetry
from commands.metrics import TaskEventsReported, TaskTelemetryCleared
from commands.worker_status import WorkerStatusReported

TELEMETRY: tuple[type[Telemetry], ...] = (
    WorkerStatusReported,
    TaskEventsReported,
    TaskTelemetryCleared,
)
