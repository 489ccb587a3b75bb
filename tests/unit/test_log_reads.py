"""Console log reads against fake task_log_buckets and task_log_lines tables."""

from __future__ import annotations

from typing import Any

import orjson

from projections.logs import read
from projections.logs.rows import BUCKET_MS, SELECT_BUCKETS, bucket_of
from tests.unit.scripted_query import ScriptedQuery

WHERE = ("c1", "t1")
HOUR = BUCKET_MS


def log_store(stamps: list[int]) -> ScriptedQuery:
    """One line per timestamp (seq 0), in hour buckets, answered as Cassandra would."""
    lines = [{"timestamp": t, "seq": 0, "doc": orjson.dumps({"msg": str(t)})} for t in stamps]
    by_bucket: dict[int, list[dict]] = {}
    for line in sorted(lines, key=lambda r: r["timestamp"]):
        by_bucket.setdefault(bucket_of(line["timestamp"]), []).append(line)

    def after(p: list[Any]) -> list[dict]:
        found = by_bucket[p[2]]
        return [r for r in found if (r["timestamp"], r["seq"]) > (p[3], p[4])][: p[5]]

    def before(p: list[Any]) -> list[dict]:
        found = reversed(by_bucket[p[2]])
        return [r for r in found if (r["timestamp"], r["seq"]) < (p[3], p[4])][: p[5]]

    buckets = [{"bucket": b, "lines": len(v), "applied": 0} for b, v in by_bucket.items()]
    return ScriptedQuery(
        {
            SELECT_BUCKETS: buckets,
            read.LINES_ASC: lambda p: by_bucket[p[2]],
            read.LINES_AFTER: after,
            read.LINES_BEFORE: before,
        }
    )


def messages(lines: read.Lines) -> list[int]:
    return [int(e["msg"]) for e in lines.events]


async def test_a_page_reads_only_the_buckets_it_needs():
    store = log_store([10, 20, HOUR + 5, HOUR + 6, 3 * HOUR])
    lines = await read.page(store, WHERE, read.FIRST, 3, backwards=False)
    assert messages(lines) == [10, 20, HOUR + 5]
    assert (lines.last, lines.total) == ([HOUR + 5, 0], 5)
    assert [p[2] for p in store.asked(read.LINES_AFTER)] == [0, 1]  # not hour 3
    assert [p[5] for p in store.asked(read.LINES_AFTER)] == [3, 1]  # what is left to fetch


async def test_earlier_lines_come_newest_first_and_start_before_the_timestamp():
    store = log_store([10, 20, HOUR + 5, HOUR + 6, 3 * HOUR])
    latest = await read.next_to(store, WHERE, None, 2, earlier=True)
    assert messages(latest) == [3 * HOUR, HOUR + 6]
    before = await read.next_to(store, WHERE, HOUR + 6, 10, earlier=True)
    assert messages(before) == [HOUR + 5, 20, 10]
    later = await read.next_to(store, WHERE, 20, 10, earlier=False)
    assert messages(later) == [HOUR + 5, HOUR + 6, 3 * HOUR]
    assert (await read.page(store, WHERE, (4 * HOUR, 0), 5, backwards=False)).last is None


async def test_a_download_stops_after_the_bucket_that_passed_the_cap():
    store = log_store([1, 2, HOUR + 1, 2 * HOUR + 1])
    lines, cut = await read.rendered(store, WHERE, lambda e: e["msg"] + "\n", 3)
    assert (lines, cut) == (["1\n", "2\n"], True)
    assert len(store.asked(read.LINES_ASC)) == 1
    everything, cut = await read.rendered(store, WHERE, lambda e: e["msg"], 10**6)
    assert (len(everything), cut) == (4, False)
    assert await read.total(store, WHERE) == 4
