"""The decider's lean view of a company's runs: what decisions need, no more."""

from __future__ import annotations

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
    """Runs by id (their exact counts are the read side's: projections/control_view.py)."""

    runs: dict[str, RunRecord] = field(default_factory=dict)

    def put(self, run: str, record: RunRecord | None) -> None:
        """Replace (or with None remove) a run."""
        self.runs.pop(run, None)
        if record is not None:
            self.runs[run] = record
