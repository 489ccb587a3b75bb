"""The decider's lean view of a company's runs: what decisions and count rows need, no more."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ALL = "*"  # the scope every run is in; others are "<REFERENCE TYPE>:<id>"
AVAILABLE, ARCHIVED = "STORAGESTATE_AVAILABLE", "STORAGESTATE_ARCHIVED"


@dataclass(frozen=True)
class RunRecord:
    status: str = ""
    archived: bool = False
    scopes: tuple[str, ...] = (ALL,)
    metrics: frozenset[tuple[str, str]] = frozenset()  # (node_id, name) already reported

    @property
    def storage_state(self) -> str:
        return ARCHIVED if self.archived else AVAILABLE


@dataclass
class RunBook:
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
