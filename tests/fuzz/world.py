"""The fuzzing company's objects, which generated requests may name by id."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class World:
    """Objects of the fuzzing company that generated requests may name."""

    task: str
    queue: str
    project: str
    worker: str

    def ids(self) -> dict[str, str]:
        return {"task": self.task, "queue": self.queue, "project": self.project,
                "worker": self.worker, "tasks": self.task, "queues": self.queue,
                "projects": self.project}  # fmt: skip
