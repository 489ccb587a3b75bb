"""Every telemetry message type: appended by the API, projected in batches, never decided."""

from __future__ import annotations

from commands.base import Telemetry
from commands.telemetry.metrics import TaskEventsReported, TaskTelemetryCleared
from commands.workers.status import WorkerStatusReported

TELEMETRY: tuple[type[Telemetry], ...] = (
    WorkerStatusReported,
    TaskEventsReported,
    TaskTelemetryCleared,
)
