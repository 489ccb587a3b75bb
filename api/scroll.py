"""Scroll ids the event reads hand out, read back only if they have the shape we wrote:
a crafted one (wrong types, negative positions, huge numbers) starts from the beginning."""

from __future__ import annotations

from typing import Any

from commands.limits import MAX_INT, MAX_INT32, MAX_KEY_CHARS
from projections.events.documents import decode_scroll


def read(scroll_id: str | None) -> dict[str, Any]:
    state = decode_scroll(scroll_id[:MAX_KEY_CHARS] if scroll_id else None) or {}
    return state if _sane(state) else {}


def _sane(state: dict[str, Any]) -> bool:
    positions = all(_int(state.get(k, 0), 0, MAX_INT32) for k in ("k", "s", "o"))
    start = state.get("i")
    return positions and (start is None or _int(start)) and _cursor(state.get("c"))


def _cursor(cursor: Any) -> bool:
    """None, a scalar position {s, i}, a log position [timestamp, seq], or an event key
    [metric, variant, iter, id]."""
    if cursor is None:
        return True
    if isinstance(cursor, dict):
        return "c" not in cursor and _sane(cursor)
    if not isinstance(cursor, list):
        return False
    if len(cursor) == 2:
        return all(_int(v) for v in cursor)
    if len(cursor) != 4:
        return False
    metric, variant, iteration, event = cursor
    return all(isinstance(v, str) for v in (metric, variant, event)) and _int(iteration)


def _int(value: Any, low: int = -MAX_INT - 1, high: int = MAX_INT) -> bool:
    return type(value) is int and low <= value <= high
