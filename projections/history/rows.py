"""Aggregate history: every control-plane event, filed under each aggregate it changed.

Serves `audit` (who changed this task, when, through which request and command) without scanning
the log. The clustering key is the event's offset: one company lives on one partition, so offsets
order an aggregate's events and make the row id deterministic under replay.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from projections.mutations import Positioned, Upsert, Write

TABLE = "aggregate_history"


class HistoryProjection:
    name = "history"
    topic = "events"
    tables = (TABLE,)

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        return [Write(row, item.offset + 1) for item in batch for row in rows(item)]


def rows(item: Positioned) -> list[Upsert]:
    """One row per aggregate the event changed (an event names them with `affected()`)."""
    env = item.envelope
    affected = getattr(item.message, "affected", None)
    aggregates = affected() if affected else ((env.aggregate_type, env.aggregate_id),)
    common = {
        "company": env.company,
        "partition": item.partition,
        "offset": item.offset,
        "occurred_at": env.occurred_at,
        "event_type": env.type,
        "event_id": env.event_id,
        "user_id": env.user,
        "command_id": env.command_id,
        "request_id": env.request_id,
        "command": item.extras.get("command"),
        "data": json.dumps(changes(item.message), sort_keys=True, default=_json_value),
    }
    return [
        Upsert(TABLE, {**common, "aggregate_type": kind, "aggregate_id": ident})
        for kind, ident in dict.fromkeys(aggregates)
    ]


def changes(message: Any) -> dict[str, Any]:
    """The fields the event set: a None field means "unchanged" in our events."""
    return {name: value for name, value in dataclasses.asdict(message).items() if value is not None}


def _json_value(value: Any) -> Any:
    """Bytes (a KFP artifact's content) as base64 text, as `taskstream tail` shows them."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return str(value)
