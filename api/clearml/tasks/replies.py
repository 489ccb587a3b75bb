"""Sending task commands and shaping their replies: decider replies carry times as epoch ms,
ClearML answers with ISO-8601 strings."""

from __future__ import annotations

import time
from typing import Any

from api.call import Call
from api.services import Services
from commands.base import Command
from projections.timefmt import iso

TIMES = {"status_changed", "last_update", "last_change", "started", "completed", "published"}
TOP_TIMES = {"last_update", "last_change"}


async def send(call: Call, svc: Services, command: Command) -> dict[str, Any]:
    return shaped(await svc.bus.send(call.who, command, call.request_id))


def shaped(reply: dict[str, Any]) -> dict[str, Any]:
    """Times to ISO in `fields` and the edit times at the top (where `started` and
    `published` are counts, not times)."""
    out = {k: (_time(k, v) if k in TOP_TIMES else v) for k, v in reply.items()}
    if isinstance(reply.get("fields"), dict):
        out["fields"] = {k: _time(k, v) for k, v in reply["fields"].items()}
    return out


def _time(name: str, value: Any) -> Any:
    return iso(value) if name in TIMES and isinstance(value, int) else value


def now_ms() -> int:
    return int(time.time() * 1000)
