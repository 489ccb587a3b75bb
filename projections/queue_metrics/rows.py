"""Queue metrics rows: each change of a queue's entries records its length and the average time
its entries have waited, at the time of the change.

Applied by the decider with the control-plane rows (projections/control.py), from the
projection's view right after the event: it holds every queue's entries with their added
times, so no other process has to re-derive them, and the rows are a function of the log (G5).
The queues an event touched are read off its fields, so queue operations of any aggregate
(queues.add_task, get_next_task, tasks.enqueue/dequeue/reset/delete, ...) are covered: a
`queue` field names the queue changed, a `dequeued` field the entries that left theirs.
ClearML's periodic refresh is not written: between changes a queue's length is constant and
its average wait grows by the time elapsed, so the read path derives those samples
(projections/queue_metrics/read.py).
"""

from __future__ import annotations

from typing import Any

from projections.control_view import CompanyView, QueueLine
from projections.mutations import Mutation, Upsert

TABLE = "queue_metrics"
PERIOD_MS = 7 * 24 * 3600 * 1000  # one Cassandra partition per queue and week
# events that change no entry: a sample from them would only repeat the previous one
UNCHANGED = frozenset(("QueueUpdated", "QueueTaskMoved", "QueueMetadataChanged"))


def touched(event: Any) -> set[str]:
    if type(event).__name__ in UNCHANGED:
        return set()
    queues = {p.queue for p in getattr(event, "dequeued", ()) or ()}
    queue = getattr(event, "queue", None)
    if isinstance(queue, str) and queue:
        queues.add(queue)
    return queues


def rows(event: Any, state: CompanyView) -> list[Mutation]:
    out: list[Mutation] = []
    for queue_id in sorted(touched(event)):
        queue = state.queues.get(queue_id)
        if queue is not None:  # a deleted queue records nothing more
            out.append(sample_row(state.company, queue))
    return out


def sample_row(company: str, queue: QueueLine) -> Upsert:
    at = queue.last_update
    length, waiting = measure(queue, at)
    return Upsert(
        TABLE,
        {
            "company": company,
            "queue": queue.id,
            "period": at // PERIOD_MS,
            "timestamp": at,
            "queue_length": length,
            "avg_waiting_time": waiting,
        },
    )


def measure(queue: QueueLine, at: int) -> tuple[int, float]:
    """(length, average seconds waited at `at`) over the entries with an added time, as ClearML."""
    added = [e.added for e in queue.entries if e.added]
    if not added:
        return 0, 0.0
    return len(added), sum(at - a for a in added) / len(added) / 1000
