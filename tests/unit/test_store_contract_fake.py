"""The store port's contract (tests/store_contract.py) held against the in-memory fake unit tests
use (tests/fake_store.py), so a test that passes on the fake means what it would on Cassandra."""

from __future__ import annotations

import pytest

from tests.fake_store import FakeStore, FakeTable
from tests.store_contract import StoreContract, row

CONTRACT_ROWS = FakeTable(("part",), ("seq",), {"part": str, "seq": int, "body": str, "note": str})


class TestFakeStore(StoreContract):
    @pytest.fixture
    def store(self) -> FakeStore:
        return FakeStore({"contract_rows": CONTRACT_ROWS})


async def test_cql_the_fake_cannot_read_is_refused_not_guessed():
    store = FakeStore({"contract_rows": CONTRACT_ROWS})
    with pytest.raises(NotImplementedError):
        await store.execute("SELECT body FROM contract_rows WHERE seq >= ?", [1])
    with pytest.raises(NotImplementedError):
        await store.execute("SELECT body FROM contract_rows WHERE part IN ?", [["p"]])
    with pytest.raises(NotImplementedError):
        await store.execute("UPDATE contract_rows SET body = ? WHERE part = ?", ["b", "p"])


async def test_a_limit_is_bound_after_the_conditions():
    store = FakeStore({"contract_rows": CONTRACT_ROWS})
    await store.apply([row("p", seq) for seq in range(5)], 1)
    rows = await store.execute("SELECT seq FROM contract_rows WHERE part = ? LIMIT ?", ["p", 2])
    assert rows == [{"seq": 0}, {"seq": 1}]
