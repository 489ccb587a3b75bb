"""What the control-plane rows know beyond their event: the projection's own view of a company.

The decider keeps the state its decisions need (commands/state.py); this is the read side's
counterpart, folded from the same events by projections/control_fold.py, so the control-plane
tables are a function of the log alone: the live decider and `replay` fold it alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from commands.runs.book import RunRecord
from commands.state import Entry


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A task as its listing rows and status restores need it."""

    id: str
    status: str
    created: int
    last_update: int
    project: str | None = None
    started: int | None = None
    enqueue_status: str | None = None  # the status a queue's clearing or deletion restores
    prior_update: int = 0  # last_update before the latest event moved it (keys the old index row)


@dataclass(frozen=True, slots=True)
class QueueLine:
    """A queue as its row and its metrics samples need it."""

    id: str
    name: str
    created: int
    last_update: int
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    display_name: str | None = None
    entries: tuple[Entry, ...] = ()


@dataclass
class RunCounts:
    """Runs by id, and how many runs each (scope, status, storage state) holds, kept exact so
    ListRuns can answer total_size without counting rows."""

    runs: dict[str, RunRecord] = field(default_factory=dict)
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def put(self, run: str, record: RunRecord | None) -> None:
        """Replace (or with None remove) a run, keeping the counts in step."""
        old = self.runs.pop(run, None)
        if old is not None:
            for key in _keys(old):
                self.counts[key] -= 1
        if record is not None:
            self.runs[run] = record
            for key in _keys(record):
                self.counts[key] += 1

    def count(self, scope: str, status: str, storage_state: str) -> int:
        return self.counts.get((scope, status, storage_state), 0)


def _keys(record: RunRecord) -> list[tuple[str, str, str]]:
    return [(scope, record.status, record.storage_state) for scope in record.scopes]


@dataclass
class CompanyView:
    company: str
    tasks: dict[str, TaskLine] = field(default_factory=dict)
    queues: dict[str, QueueLine] = field(default_factory=dict)
    runs: RunCounts = field(default_factory=RunCounts)


def touched(task: TaskLine, at: int, **changes: object) -> TaskLine:
    """The task with last_update moved to `at` (remembering the previous value) and changes."""
    return replace(task, last_update=at, prior_update=task.last_update, **changes)  # type: ignore[arg-type]
