"""The store port's contract (projections/query_port.py `Query`, plus the write side every
projection relies on: `apply` at write timestamps), written once and subclassed per backend.

A subclass provides a `store` fixture whose table `contract_rows` has the shape of `TABLE`
(partition key `part`, clustering key `seq`). Every test writes its own random partition, so
backends need no cleanup between tests.
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from projections.mutations import Delete, MapPut, Mutation, Upsert
from streams.cassandra.store import CassandraRefused

TABLE = """CREATE TABLE IF NOT EXISTS {keyspace}.contract_rows (
    part text, seq int, body text, note text, labels map<text, text>,
    PRIMARY KEY (part, seq))"""
SELECT = "SELECT part, seq, body FROM contract_rows WHERE part = ?"
ROWS = 25


def row(part: str, seq: int, body: str = "b", **more: Any) -> Upsert:
    return Upsert("contract_rows", {"part": part, "seq": seq, "body": body, **more})


class StoreContract:
    """Tests every implementation of the store port must pass."""

    @pytest.fixture
    def part(self) -> str:
        return f"p-{secrets.token_hex(6)}"

    async def write(self, store: Any, mutations: list[Mutation], ts: int | None = None) -> None:
        await store.apply(mutations, ts)

    async def one(self, store: Any, part: str, seq: int = 0) -> dict[str, Any] | None:
        cql = "SELECT body, note, labels FROM contract_rows WHERE part = ? AND seq = ?"
        rows = await store.execute(cql, [part, seq])
        return rows[0] if rows else None

    async def test_execute_answers_rows_as_dicts_of_the_selected_columns(self, store, part):
        await self.write(store, [row(part, 1, "one")])
        assert await store.execute(SELECT, [part]) == [{"part": part, "seq": 1, "body": "one"}]

    async def test_execute_binds_every_parameter(self, store, part):
        await self.write(store, [row(part, 1, "one"), row(part, 2, "two"), row(f"{part}x", 1)])
        cql = f"{SELECT} AND seq = ?"
        assert await store.execute(cql, [part, 2]) == [{"part": part, "seq": 2, "body": "two"}]

    async def test_execute_of_nothing_is_an_empty_list(self, store, part):
        assert await store.execute(SELECT, [part]) == []

    async def test_execute_follows_pages_past_the_fetch_size(self, store, part):
        await self.write(store, [row(part, seq, f"b{seq}") for seq in range(ROWS)])
        rows = await store.execute(SELECT, [part], fetch_size=4)
        assert [r["seq"] for r in rows] == list(range(ROWS))

    async def test_execute_many_answers_each_statement_in_the_order_given(self, store, part):
        other = part + "-other"
        await self.write(store, [row(part, 1, "mine"), row(other, 2, "theirs")])
        answers = await store.execute_many([(SELECT, [other]), (SELECT, [part]), (SELECT, ["x"])])
        assert [[r["body"] for r in rows] for rows in answers] == [["theirs"], ["mine"], []]

    async def test_pages_yield_every_row_once_in_clustering_order(self, store, part):
        await self.write(store, [row(part, seq) for seq in reversed(range(ROWS))])
        pages = [page async for page in store.pages(SELECT, [part], size=4)]
        assert len(pages) >= ROWS // 4
        assert all(len(page) <= 4 for page in pages)
        assert [r["seq"] for page in pages for r in page] == list(range(ROWS))

    async def test_pages_of_nothing_hold_no_rows(self, store, part):
        pages = [page async for page in store.pages(SELECT, [part], size=4)]
        assert [r for page in pages for r in page] == []

    async def test_a_lower_timestamp_does_not_overwrite_a_higher_one(self, store, part):
        await self.write(store, [row(part, 0, "later")], ts=20)
        await self.write(store, [row(part, 0, "earlier", note="n")], ts=10)
        assert await self.one(store, part) == {"body": "later", "note": "n", "labels": None}

    async def test_a_higher_timestamp_overwrites(self, store, part):
        await self.write(store, [row(part, 0, "earlier")], ts=10)
        await self.write(store, [row(part, 0, "later")], ts=20)
        assert (await self.one(store, part) or {})["body"] == "later"

    async def test_a_write_without_a_timestamp_takes_the_store_s_clock_above_positions(
        self, store, part
    ):
        await self.write(store, [row(part, 0, "positioned")], ts=10_000_000)
        await self.write(store, [row(part, 0, "now")])
        assert (await self.one(store, part) or {})["body"] == "now"

    async def test_a_delete_below_the_write_leaves_the_row(self, store, part):
        await self.write(store, [row(part, 0, "kept")], ts=20)
        await self.write(store, [Delete("contract_rows", {"part": part, "seq": 0})], ts=10)
        assert (await self.one(store, part) or {})["body"] == "kept"
        await self.write(store, [Delete("contract_rows", {"part": part, "seq": 0})], ts=30)
        assert await self.one(store, part) is None

    async def test_a_partition_delete_removes_every_row_written_before_it(self, store, part):
        await self.write(store, [row(part, 1), row(part, 2)], ts=10)
        await self.write(store, [Delete("contract_rows", {"part": part})], ts=15)
        await self.write(store, [row(part, 3)], ts=16)
        assert [r["seq"] for r in await store.execute(SELECT, [part])] == [3]

    async def test_a_delete_before_clears_what_came_earlier_at_the_same_position(self, store, part):
        await self.write(store, [row(part, 0, "old", note="stale")], ts=10)
        key = {"part": part, "seq": 0}
        await self.write(store, [Delete("contract_rows", key, before=True), row(part, 0)], ts=11)
        assert await self.one(store, part) == {"body": "b", "note": None, "labels": None}

    async def test_map_entries_merge_and_removed_keys_go(self, store, part):
        key = {"part": part, "seq": 0}
        await self.write(store, [MapPut("contract_rows", key, "labels", {"a": "1", "b": "2"})], 10)
        await self.write(
            store, [MapPut("contract_rows", key, "labels", {"c": "3"}, frozenset({"a"}))], 11
        )
        assert (await self.one(store, part) or {})["labels"] == {"b": "2", "c": "3"}

    async def test_reapplying_a_position_changes_nothing(self, store, part):
        writes = [row(part, 0, "same", note="n")]
        await self.write(store, writes, ts=10)
        await self.write(store, writes, ts=10)
        assert await self.one(store, part) == {"body": "same", "note": "n", "labels": None}

    async def test_a_key_over_64_kib_is_refused_not_unavailable(self, store):
        with pytest.raises(CassandraRefused):
            await self.write(store, [row("k" * 70_000, 0)], ts=1)

    async def test_a_value_over_the_message_limit_is_refused(self, store, part):
        """Cassandra's native transport takes messages up to 4 MiB and refuses larger ones."""
        with pytest.raises(CassandraRefused):
            await self.write(store, [row(part, 0, "x" * 4_500_000)], ts=1)
        assert await self.one(store, part) is None

    async def test_a_value_of_the_wrong_type_is_refused(self, store, part):
        with pytest.raises(CassandraRefused):
            await self.write(store, [row(part, "not-an-int")], ts=1)  # type: ignore[arg-type]
