"""Which capabilities each projection offers the runtime, as the typed protocols see them: a
projection that stops matching its protocol would silently lose its state loading, its
per-partition batches or its verify exemption."""

from __future__ import annotations

from collections.abc import Sequence

from projections.mutations import Positioned, Write
from projections.protocol import Expiring, Grouped, Projection, Stateful
from streams.worker.app import projections


def named(protocol: type) -> set[str]:
    return {p.name for p in projections() if isinstance(p, protocol)}


def test_every_projection_is_one():
    assert len(named(Projection)) == len(projections())


def test_capabilities_of_the_live_projections():
    assert named(Stateful) == {"metrics", "worker_stats"}
    assert named(Grouped) == {"metrics"}
    assert named(Expiring) == {"worker_stats", "worker-liveness"}


class HalfStateful:
    """reads and loaded without ready or forget: not stateful, so never half driven."""

    name, topic, tables = "half", "events", ()

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        return []

    def reads(self, batch: Sequence[Positioned]) -> list:
        return []

    def loaded(self, key: object, rows: list) -> None:
        return None


def test_a_projection_missing_a_hook_is_not_stateful():
    assert isinstance(HalfStateful(), Projection)
    assert not isinstance(HalfStateful(), Stateful)
