"""Paging a task's events with bounded memory: logs by (timestamp, seq), other events by their
clustering key, scalars series by series; without an event type, kind after kind.

events.get_task_events without event_type returns every kind of event. ClearML sorts them all
by timestamp; here each kind is paged in its storage order, one kind after another (logs,
plots, debug images, vectors, scalars), so no request holds more than a page in memory
whatever the size of the task. The pages come from each view's read module; this module keeps
the scroll ids.
"""

from __future__ import annotations

from typing import Any

from api.services import Services
from commands.telemetry.metrics import IMAGE, LOG, PLOT, SCALAR, VECTOR
from projections.events import read as events_read
from projections.events.documents import encode_scroll
from projections.logs import read as logs_read
from projections.scalars import read as scalars_read

KINDS = (LOG, PLOT, IMAGE, VECTOR, SCALAR)
Where = tuple[str, str]  # (company, task)


async def all_kinds(
    svc: Services, where: Where, size: int, scroll: dict[str, Any]
) -> dict[str, Any]:
    position, cursor = int(scroll.get("k", 0)), scroll.get("c")
    events: list[dict[str, Any]] = []
    while position < len(KINDS) and len(events) < size:
        page, cursor, done = await _page(svc, where, KINDS[position], size - len(events), cursor)
        events.extend(page)
        if done:
            position, cursor = position + 1, None
    total = await _total(svc, where)
    state = encode_scroll({"k": position, "c": cursor})
    return {"events": events, "returned": len(events), "total": total, "scroll_id": state}


async def logs(
    svc: Services, where: Where, size: int, scroll: dict[str, Any], desc: bool
) -> dict[str, Any]:
    start = scroll.get("c") or (logs_read.LAST if desc else logs_read.FIRST)
    lines = await logs_read.page(svc.store, where, tuple(start), size, backwards=desc)
    state = encode_scroll({"c": lines.last or start})
    return {
        "events": lines.events,
        "returned": len(lines.events),
        "total": lines.total,
        "scroll_id": state,
    }


async def _page(
    svc: Services, where: Where, kind: str, size: int, cursor: Any
) -> tuple[list[dict[str, Any]], Any, bool]:
    """Up to `size` events of one kind after `cursor`; the next cursor; whether it is done."""
    if kind == SCALAR:
        page = await scalars_read.page(svc.store, where, None, size, _scalar_start(cursor))
        state = {"s": page.position, "i": page.start}
        return page.events, state, len(page.events) < size
    if kind == LOG:
        start = tuple(cursor) if cursor else logs_read.FIRST
        lines = await logs_read.page(svc.store, where, start, size, backwards=False)
        return lines.events, lines.last or cursor, len(lines.events) < size
    docs, last = await events_read.page(svc.store, where, kind, size, cursor)
    return docs, last or cursor, len(docs) < size


def _scalar_start(cursor: dict[str, Any] | None) -> tuple[int, int | None]:
    return int((cursor or {}).get("s", 0)), (cursor or {}).get("i")


async def _total(svc: Services, where: Where) -> int:
    total = await logs_read.total(svc.store, where)
    for kind in (PLOT, IMAGE, VECTOR):
        total += await events_read.count(svc.store, where, kind)
    return total + await scalars_read.count(svc.store, where)


async def scalars(
    svc: Services, where: Where, metric: str | None, *, size: int, scroll: dict[str, Any]
) -> dict[str, Any]:
    page = await scalars_read.page(svc.store, where, metric, size, _scalar_start(scroll))
    cursor = encode_scroll({"s": page.position, "i": page.start})
    return {
        "events": page.events,
        "returned": len(page.events),
        "total": page.total,
        "scroll_id": cursor,
    }
