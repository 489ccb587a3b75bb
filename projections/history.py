"""Aggregate history: every control-plane event, filed under the aggregate it changed.

Serves `audit` (who changed this task, when, through which request) without scanning the log.
The clustering key is the event's offset: one company lives on one partition, so offsets order
an aggregate's events and make the row id deterministic under replay.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from projections.mutations import Positioned, Upsert, Write

TABLE = "aggregate_history"
SELECT = (
    "SELECT * FROM aggregate_history WHERE company = ? AND aggregate_type = ? AND aggregate_id = ?"
)


class HistoryProjection:
    name = "history"
    topic = "events"

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        return [Write(row(item), item.offset + 1) for item in batch]


def row(item: Positioned) -> Upsert:
    env = item.envelope
    return Upsert(
        TABLE,
        {
            "company": env.company,
            "aggregate_type": env.aggregate_type,
            "aggregate_id": env.aggregate_id,
            "partition": item.partition,
            "offset": item.offset,
            "occurred_at": env.occurred_at,
            "event_type": env.type,
            "event_id": env.event_id,
            "user_id": env.user,
            "command_id": env.command_id,
            "request_id": env.request_id,
            "data": json.dumps(_fields(item.message), sort_keys=True),
        },
    )


def _fields(message: Any) -> dict[str, Any]:
    return dataclasses.asdict(message)  # nested records (queue entries, project nodes) too
