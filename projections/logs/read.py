"""Reading console output: its CQL and the lines it returns, bucket by bucket.

A read walks the task's hour buckets in order and stops as soon as it has its page, paging by
(timestamp, seq) within a bucket, so no read holds more than a page, and a download no more
than one hour of lines beyond its cap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import orjson

from projections.logs.rows import SELECT_BUCKETS, bucket_of
from projections.query_port import Query

_LINES = (
    "SELECT doc, timestamp, seq FROM task_log_lines WHERE company = ? AND task = ? AND bucket = ?"
)
LINES_ASC = _LINES + " ORDER BY timestamp ASC, seq ASC"
LINES_AFTER = _LINES + " AND (timestamp, seq) > (?, ?) ORDER BY timestamp ASC, seq ASC LIMIT ?"
LINES_BEFORE = _LINES + " AND (timestamp, seq) < (?, ?) ORDER BY timestamp DESC, seq DESC LIMIT ?"
FIRST, LAST = (-(2**63), -(2**63)), (2**63 - 1, 2**63 - 1)
Where = tuple[str, str]  # (company, task)
Position = tuple[int, int]  # (timestamp, seq)


class Lines(NamedTuple):
    """A page of log events, the position of its last line (None if empty), the task's total."""

    events: list[dict[str, Any]]
    last: list[int] | None
    total: int


async def index(store: Query, where: Where) -> dict[int, int]:
    """bucket -> lines in it."""
    return {b["bucket"]: b["lines"] or 0 for b in await store.execute(SELECT_BUCKETS, list(where))}


async def total(store: Query, where: Where) -> int:
    return sum((await index(store, where)).values())


async def page(
    store: Query, where: Where, cursor: Position, size: int, *, backwards: bool
) -> Lines:
    """Up to `size` lines after (or before) cursor, in that direction."""
    buckets = await index(store, where)
    at = bucket_of(cursor[0])
    chosen = [b for b in sorted(buckets, reverse=backwards) if (b <= at if backwards else b >= at)]
    cql = LINES_BEFORE if backwards else LINES_AFTER
    rows: list[dict[str, Any]] = []
    for bucket in chosen:
        rows.extend(await store.execute(cql, [*where, bucket, *cursor, size - len(rows)]))
        if len(rows) >= size:
            break
    last = [rows[-1]["timestamp"], rows[-1]["seq"]] if rows else None
    return Lines([orjson.loads(r["doc"]) for r in rows], last, sum(buckets.values()))


async def next_to(
    store: Query, where: Where, timestamp: int | None, size: int, *, earlier: bool
) -> Lines:
    """events.get_task_log: the lines before `timestamp` (the latest without one) or after it."""
    if earlier:
        cursor = LAST if timestamp is None else (timestamp, FIRST[1])
    else:
        cursor = (timestamp or 0, LAST[1])
    return await page(store, where, cursor, size, backwards=earlier)


async def rendered(
    store: Query, where: Where, render: Callable[[dict[str, Any]], str], cap: int
) -> tuple[list[str], bool]:
    """Every line rendered, oldest first, until past `cap` characters; whether it stopped."""
    lines: list[str] = []
    size = 0
    for bucket in sorted(await index(store, where)):  # one hour of lines in memory at a time
        for row in await store.execute(LINES_ASC, [*where, bucket]):
            lines.append(render(orjson.loads(row["doc"])))
            size += len(lines[-1])
        if size > cap:
            return lines, True
    return lines, False
