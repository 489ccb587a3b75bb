"""What a projection is to the runtime that feeds it: one protocol, and the optional capabilities.

Contract. Every projection is a `Projection`: a pure fold of a batch of positioned records into
writes (and Emits, records to append first). The runtime (streams/worker/projector.py) checks
the other protocols once, with isinstance, when it takes a projection on:

- `Stateful`: before `project`, the runtime asks `reads(batch)`, runs those reads, hands each
  result to `loaded(key, rows)`, calls `ready()`, and asks again until nothing more is wanted;
  `forget()` drops the cache when partitions move to another worker.
- `Grouped`: `partitions` names each table's partition key columns, so the writes go as one
  unlogged batch per Cassandra partition instead of one statement per row.
- `Expiring`: `unverified` are tables whose rows expire (TTL, topic retention), rebuilt by a
  replay but never compared by verify.

They live here, beside the projections, because they speak only of projections' own types; the
projections satisfy them structurally and import nothing of the runtime.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from projections.mutations import Emit, Positioned, Read, Write


@runtime_checkable
class Projection(Protocol):
    name: str  # the watermark key
    topic: str  # logical topic name, see Settings.topic
    tables: tuple[str, ...]  # every table it writes (and nothing else writes): replay, verify

    def project(self, batch: Sequence[Positioned]) -> Sequence[Write | Emit]: ...


@runtime_checkable
class Stateful(Projection, Protocol):
    def reads(self, batch: Sequence[Positioned]) -> list[Read]: ...

    def loaded(self, key: Any, rows: list[dict[str, Any]]) -> None: ...

    def ready(self) -> None: ...

    def forget(self) -> None: ...


@runtime_checkable
class Grouped(Projection, Protocol):
    partitions: Mapping[str, tuple[str, ...]]


@runtime_checkable
class Expiring(Projection, Protocol):
    unverified: tuple[str, ...]
