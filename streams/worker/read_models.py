"""Every read model and the tables it owns: what `replay` rebuilds and `verify` compares.

The control plane is one read model (named "control", folded from ts.events by the decider's
own evolve + projections.control.rows); every projection in streams.worker.app.projections() is
another. Each table belongs to exactly one of them, or is bookkeeping listed in INFRASTRUCTURE.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import Settings
from infra import topics
from projections import control
from projections.protocol import Expiring, Projection
from streams.worker.partition_state import PROJECTION as CONTROL

INFRASTRUCTURE = (
    "schema_migrations",
    "projection_watermarks",
    "keyspace_pointer",
    "decider_snapshots",
    "decider_snapshot_chunks",
    "replay_progress",
)
# tables a contract already created whose writer is still being built: its projection claims
# the table when it lands, and the table leaves this list (a unit test insists)
AWAITING_WRITER: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadModel:
    name: str  # the watermark key
    topic: str  # logical topic it is folded from
    tables: tuple[str, ...]
    projection: Projection | None = None  # None: the control plane, folded by the decider
    unverified: tuple[str, ...] = ()  # rebuilt, but rows expire (TTL): verify cannot compare

    def new_projection(self) -> Projection:
        """A projection object of its own: stateful projections cache what they loaded, and a
        rebuild folds partitions side by side (a task's records all sit on one partition)."""
        from streams.worker.app import projections

        return next(p for p in projections() if p.name == self.name)

    def partitions(self, settings: Settings) -> int:
        (topic,) = (t for t in topics.TOPICS if t.name == self.topic)
        return topics.partitions(settings, topic)


def read_models() -> list[ReadModel]:
    from streams.worker.app import projections

    models = [ReadModel(CONTROL, topics.EVENTS, control.TABLES)]
    models += [
        ReadModel(p.name, p.topic, tuple(p.tables), p, _unverified(p)) for p in projections()
    ]
    return models


def _unverified(projection: Projection) -> tuple[str, ...]:
    return tuple(projection.unverified) if isinstance(projection, Expiring) else ()


def select(names: str) -> list[ReadModel]:
    """`all` or comma-separated read model names."""
    models = read_models()
    if names == "all":
        return models
    by_name = {m.name: m for m in models}
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        raise ValueError(f"unknown read model {', '.join(unknown)}; known: {', '.join(by_name)}")
    return [by_name[n] for n in wanted]
