"""Paging a task's events with bounded memory: logs by (timestamp, seq), other events by their
clustering key, scalars series by series; without an event type, kind after kind.

events.get_task_events without event_type returns every kind of event. ClearML sorts them all
by timestamp; here each kind is paged in its storage order, one kind after another (logs,
plots, debug images, vectors, scalars), so no request holds more than a page in memory
whatever the size of the task.
"""

from __future__ import annotations

from typing import Any

from api.clearml.events.logs import log_page
from api.services import Services
from commands.telemetry.metrics import IMAGE, LOG, PLOT, SCALAR, VECTOR
from projections.events import queries as eq
from projections.logs import rows as tl
from projections.scalars import queries as sq
from projections.scalars.blocks import block_of

KINDS = (LOG, PLOT, IMAGE, VECTOR, SCALAR)
_EVENTS = (
    "SELECT metric, variant, iter, id, doc, plot_data FROM task_events "
    "WHERE company = ? AND task = ? AND type = ?"
)
EVENTS_FIRST = _EVENTS + " LIMIT ?"
EVENTS_AFTER = _EVENTS + " AND (metric, variant, iter, id) > (?, ?, ?, ?) LIMIT ?"
EVENTS_COUNT = "SELECT COUNT(*) AS n FROM task_events WHERE company = ? AND task = ? AND type = ?"
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
    state = eq.encode_scroll({"k": position, "c": cursor})
    return {"events": events, "returned": len(events), "total": total, "scroll_id": state}


async def logs(
    svc: Services, where: Where, size: int, scroll: dict[str, Any], desc: bool
) -> dict[str, Any]:
    buckets = await svc.store.execute(tl.SELECT_BUCKETS, list(where))
    start = scroll.get("c") or (tl.LAST if desc else tl.FIRST)
    rows = await log_page(svc, where, buckets, tuple(start), size, backwards=desc)
    cursor = [rows[-1]["timestamp"], rows[-1]["seq"]] if rows else start
    total = sum(b["lines"] or 0 for b in buckets)
    events = [eq.doc(r) for r in rows]
    state = eq.encode_scroll({"c": cursor})
    return {"events": events, "returned": len(events), "total": total, "scroll_id": state}


async def _page(
    svc: Services, where: Where, kind: str, size: int, cursor: Any
) -> tuple[list[dict[str, Any]], Any, bool]:
    """Up to `size` events of one kind after `cursor`; the next cursor; whether it is done."""
    if kind == SCALAR:
        page = await scalars(svc, *where, None, size=size, scroll=cursor or {})
        state = eq.decode_scroll(page["scroll_id"]) or {}
        return page["events"], state, page["returned"] < size
    if kind == LOG:
        buckets = await svc.store.execute(tl.SELECT_BUCKETS, list(where))
        start = tuple(cursor) if cursor else tl.FIRST
        rows = await log_page(svc, where, buckets, start, size, backwards=False)
        last = [rows[-1]["timestamp"], rows[-1]["seq"]] if rows else cursor
        return [eq.doc(r) for r in rows], last, len(rows) < size
    if cursor:
        rows = await svc.store.execute(EVENTS_AFTER, [*where, kind, *cursor, size])
    else:
        rows = await svc.store.execute(EVENTS_FIRST, [*where, kind, size])
    last = [rows[-1][c] for c in ("metric", "variant", "iter", "id")] if rows else cursor
    return [eq.doc(r) for r in rows], last, len(rows) < size


async def _total(svc: Services, where: Where) -> int:
    buckets = await svc.store.execute(tl.SELECT_BUCKETS, list(where))
    total = sum(b["lines"] or 0 for b in buckets)
    for kind in (PLOT, IMAGE, VECTOR):
        total += (await svc.store.execute(EVENTS_COUNT, [*where, kind]))[0]["n"]
    series = await svc.store.execute(sq.SERIES, list(where))
    return total + sum(s.count for s in sq.wanted(series, None))


async def scalars(
    svc: Services, company: str, task: str, metric: str | None, *, size: int, scroll: dict[str, Any]
) -> dict[str, Any]:
    rows = await svc.store.execute(sq.SERIES, [company, task])
    series = sorted(
        (s for s in sq.wanted(rows, None) if metric is None or s.metric == metric),
        key=lambda s: (s.metric, s.variant),
    )
    position, start = int(scroll.get("s", 0)), scroll.get("i")
    events: list[dict[str, Any]] = []
    while position < len(series) and len(events) < size:
        s = series[position]
        first = -(2**63) if start is None else start
        params = [company, task, s.metric, s.variant, block_of(0, first)]
        blocks = [r["data"] for r in await svc.store.execute(sq.RAW_FROM, params)]
        for point in sq.points(blocks, first):
            if len(events) == size:
                start = point[0]
                break
            events.append(sq.scalar_doc(task, s.metric, s.variant, point))
        else:
            position, start = position + 1, None
    cursor = eq.encode_scroll({"s": position, "i": start})
    total = sum(s.count for s in series)
    return {"events": events, "returned": len(events), "total": total, "scroll_id": cursor}
