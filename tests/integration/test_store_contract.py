"""The store port's contract (tests/store_contract.py) against the real Cassandra `Store`, in the
session's scratch keyspace; plus what only Cassandra can say: the limits streams/cassandra/
storable.py holds rows against are the ones the server enforces."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.settings import Settings
from infra import cassandra_node
from streams.cassandra import storable
from streams.cassandra.store import Store
from tests.store_contract import TABLE, StoreContract, row

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def contract_table(test_settings: Settings) -> str:
    cluster, session = cassandra_node.connect(test_settings, timeout_s=60.0)
    try:
        session.execute(TABLE.format(keyspace=test_settings.keyspace), timeout=60)
    finally:
        cluster.shutdown()
    return "contract_rows"


@pytest.fixture(scope="module")
async def cassandra_store(test_settings: Settings, contract_table: str) -> AsyncIterator[Store]:
    store = await Store.connect(test_settings)
    yield store
    await store.close()


class TestCassandraStore(StoreContract):
    @pytest.fixture
    def store(self, cassandra_store: Store) -> Store:
        return cassandra_store


async def test_storable_names_a_key_over_cassandra_s_limit(cassandra_store: Store):
    fine, refused = row("p", 0, note="n" * 10), row("k" * 70_000, 0)
    reason = await storable.refusal(cassandra_store, [fine, refused])
    assert reason is not None
    assert "contract_rows" in reason


async def test_storable_names_a_row_over_the_message_limit(cassandra_store: Store):
    big = row("p-big", 0, "x" * (storable.MAX_ROW_BYTES + 1))
    reason = await storable.refusal(cassandra_store, [big])
    assert reason is not None
    assert "message limit" in reason


async def test_a_row_storable_accepts_is_written(cassandra_store: Store):
    fine = row("p-fine", 0, "x" * 1000)
    assert await storable.refusal(cassandra_store, [fine]) is None
    await cassandra_store.apply([fine], 1)
