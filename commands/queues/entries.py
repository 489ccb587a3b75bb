"""Where tasks wait: entry placement by rank, and finding or removing a task's entries.

Ranks order a queue's entries. New entries go STEP past the last one and to-front moves STEP
before the first, so moving one entry rewrites one read-model row; a move into a gap too small
for a midpoint renumbers the whole queue (rare by construction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from commands.state import CompanyState, Entry, Queue

STEP = 1 << 20


@dataclass(frozen=True)
class Placed:
    """One entry of a queue, named by its rank (how the read model keys it)."""

    queue: str
    task: str
    rank: int


def back_rank(queue: Queue) -> int:
    return queue.entries[-1].rank + STEP if queue.entries else 0


def rank_at(entries: tuple[Entry, ...], position: int) -> int | None:
    """A rank that puts an entry at `position` among `entries` (which excludes it), or None
    when the neighbours leave no integer between them."""
    if not entries:
        return 0
    if position <= 0:
        return entries[0].rank - STEP
    if position >= len(entries):
        return entries[-1].rank + STEP
    low, high = entries[position - 1].rank, entries[position].rank
    return (low + high) // 2 if high - low > 1 else None


def renumbered(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    return tuple(replace(e, rank=i * STEP) for i, e in enumerate(entries))


def placements(state: CompanyState, task: str, exclude: str | None = None) -> tuple[Placed, ...]:
    """Every entry of the task in the company's queues (but `exclude`)."""
    return tuple(
        Placed(queue.id, task, entry.rank)
        for queue in state.queues.values()
        if queue.id != exclude
        for entry in queue.entries
        if entry.task == task
    )


def in_queue(queue: Queue, task: str) -> tuple[Placed, ...]:
    return tuple(Placed(queue.id, task, e.rank) for e in queue.entries if e.task == task)


def add(state: CompanyState, queue_id: str, entry: Entry) -> None:
    queue = state.queues[queue_id]
    state.queues[queue_id] = replace(queue, entries=(*queue.entries, entry))


def remove(state: CompanyState, placed: Iterable[Placed]) -> None:
    """Drop the given entries (those of a queue that no longer exists are ignored)."""
    by_queue: dict[str, set[int]] = {}
    for p in placed:
        by_queue.setdefault(p.queue, set()).add(p.rank)
    for queue_id, ranks in by_queue.items():
        queue = state.queues.get(queue_id)
        if queue is not None:
            kept = tuple(e for e in queue.entries if e.rank not in ranks)
            state.queues[queue_id] = replace(queue, entries=kept)
