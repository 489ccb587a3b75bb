"""Setting refused rows aside (streams/cassandra/storable.py): isolation and dead letters."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from streams.cassandra.storable import Refusal, apply_isolating, letters
from streams.cassandra.store import CassandraRefused, CassandraUnavailable


@dataclass(frozen=True)
class Source:
    partition: int
    offset: int
    key: bytes | None
    value: bytes


class FakeStore:
    """Refuses every batch that holds a poison write; records what it wrote."""

    def __init__(self, poison: set[str], down: int = 0) -> None:
        self.poison, self.down, self.written = poison, down, []

    async def apply(self, writes: list[tuple[str, int]]) -> None:
        if self.down:
            self.down -= 1
            raise CassandraUnavailable("down")
        if any(name in self.poison for name, _ts in writes):
            raise CassandraRefused("Key length of 70000 is longer than maximum of 65535")
        self.written.extend(writes)


async def test_a_clean_batch_is_written_at_once():
    store = FakeStore(set())
    assert await apply_isolating(store.apply, [("a", 1), ("b", 2)]) == []
    assert store.written == [("a", 1), ("b", 2)]


async def test_a_refused_write_is_isolated_and_the_rest_written():
    store = FakeStore({"bad"})
    refused = await apply_isolating(store.apply, [("a", 1), ("bad", 2), ("c", 3)])
    assert [r.write for r in refused] == [("bad", 2)]
    assert "Key length" in str(refused[0].error)
    assert store.written == [("a", 1), ("c", 3)]


async def test_unavailability_is_not_a_refusal():
    store = FakeStore(set(), down=1)
    with pytest.raises(CassandraUnavailable):
        await apply_isolating(store.apply, [("a", 1)])


def test_letters_name_each_source_record_once_by_its_offset():
    sources = [Source(0, 4, b"k", b"four"), Source(0, 5, b"k", b"five")]
    refused_writes = [("x", 6), ("y", 6), ("z", 99)]  # two rows of offset 5, one of nothing
    error = CassandraRefused("too big")
    found = letters(
        [Refusal(w, error) for w in refused_writes], sources, lambda w: w[1], "store", "ts.m"
    )
    assert [(d.offset, d.value, d.stage, d.topic) for d in found] == [(5, b"five", "store", "ts.m")]
