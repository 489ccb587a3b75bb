"""Console output stored by time bucket: a Cassandra partition per (task, hour) keeps any one
partition bounded however long a run logs, and the bucket index with its line counts answers
totals without counting rows.

Lines are ordered by (timestamp, seq); seq is the record's offset with the line's place in the
record, so lines of one millisecond keep their arrival order and a replay rewrites the same
rows. A bucket's count remembers the last record it counted (`applied`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from projections.mutations import Delete, Read, Upsert, Write

BUCKET_MS = 3_600_000
LINES = "task_log_lines"
BUCKETS = "task_log_buckets"

SELECT_BUCKETS = (
    "SELECT bucket, lines, applied FROM task_log_buckets WHERE company = ? AND task = ?"
)


def bucket_of(timestamp: int) -> int:
    return timestamp // BUCKET_MS


def line_row(company: str, task: str, event: Any, doc: dict[str, Any], seq: int) -> Upsert:
    return Upsert(
        LINES,
        {
            "company": company,
            "task": task,
            "bucket": bucket_of(event.timestamp),
            "timestamp": event.timestamp,
            "seq": seq,
            "id": event.id,
            "doc": orjson.dumps(doc),
        },
    )


def count(buckets: dict[int, list[int]], offset: int, stamps: list[int]) -> set[int]:
    """Count one record's lines into `buckets` (bucket -> [lines, applied]); the buckets changed."""
    changed = set()
    for bucket, n in Counter(bucket_of(t) for t in stamps).items():
        entry = buckets.setdefault(bucket, [0, -1])
        if offset > entry[1]:  # not counted yet (a redelivered record is)
            entry[0] += n
            entry[1] = offset
            changed.add(bucket)
    return changed


def bucket_rows(
    company: str, task: str, buckets: dict[int, list[int]], dirty: set[int]
) -> list[Write]:
    rows = []
    for bucket in sorted(dirty):
        lines, applied = buckets[bucket]
        values = {"company": company, "task": task, "bucket": bucket, "lines": lines}
        rows.append(Write(Upsert(BUCKETS, {**values, "applied": applied}), applied + 1))
    return rows


def clear(company: str, task: str, buckets: dict[int, list[int]], at: int) -> list[Write]:
    """Every line partition of the task and its index, as of position `at`."""
    lines = [
        Write(Delete(LINES, {"company": company, "task": task, "bucket": b}), at) for b in buckets
    ]
    return [*lines, Write(Delete(BUCKETS, {"company": company, "task": task}), at)]


def reads(company: str, task: str) -> Read:
    return Read(("logs", (company, task)), SELECT_BUCKETS, (company, task))


def loaded(rows: list[dict[str, Any]]) -> dict[int, list[int]]:
    return {
        r["bucket"]: [r["lines"] or 0, r["applied"] if r["applied"] is not None else -1]
        for r in rows
    }
