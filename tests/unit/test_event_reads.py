"""Reads of plots, debug images and vectors against a fake task_events table."""

from __future__ import annotations

import zlib
from typing import Any

import orjson

from commands.telemetry.metrics import IMAGE, PLOT, VECTOR
from projections.events import read
from tests.unit.scripted_query import ScriptedQuery

WHERE = ("c1", "t1")


def event(kind: str, metric: str, variant: str, iteration: int, n: int, **doc: Any) -> dict:
    body = {"type": kind, "metric": metric, "variant": variant, "iter": iteration, **doc}
    return {
        "type": kind,
        "metric": metric,
        "variant": variant,
        "iter": iteration,
        "id": f"e{n:03d}",
        "timestamp": 1000 + n,
        "doc": orjson.dumps(body),
        "plot_data": None,
    }


def events_store(rows: list[dict]) -> ScriptedQuery:
    """task_events as Cassandra keeps it: clustered by (metric, variant, iter, id)."""
    table = sorted(rows, key=lambda r: tuple(r[c] for c in read.KEY))

    def of(params: list[Any]) -> list[dict]:
        return [r for r in table if r["type"] == params[2]]

    def after(params: list[Any]) -> list[dict]:
        key, limit = tuple(params[3:7]), params[7]
        return [r for r in of(params) if tuple(r[c] for c in read.KEY) > key][:limit]

    return ScriptedQuery(
        {
            read.OF_TYPE: of,
            read.OF_METRIC: lambda p: [r for r in of(p) if r["metric"] == p[3]],
            read.FIRST: lambda p: of(p)[: p[3]],
            read.AFTER: after,
            read.COUNT: lambda p: [{"n": len(of(p))}],
        }
    )


async def test_latest_keeps_the_last_iterations_of_each_series_and_restores_plots():
    plot = event(PLOT, "m", "v", 3, 1)
    plot["plot_data"] = zlib.compress(b'{"data": []}')
    rows = [event(PLOT, "m", "v", i, 10 + i) for i in range(3)] + [plot]
    rows += [event(IMAGE, "m", "v", 9, 20), event(PLOT, "other", "v", 1, 30)]
    store = events_store(rows)
    found = await read.latest(store, WHERE, PLOT, 2, "m")
    assert [(e["metric"], e["iter"]) for e in found] == [("m", 3), ("m", 2)]
    assert found[0]["plot_str"] == '{"data": []}'
    assert len(await read.latest(store, WHERE, PLOT, 1)) == 2  # both metrics without a filter


async def test_pages_follow_the_clustering_key_and_end_on_a_short_page():
    rows = [event(IMAGE, m, "v", i, n) for n, (m, i) in enumerate([("b", 1), ("a", 2), ("a", 1)])]
    store = events_store([*rows, event(PLOT, "a", "v", 0, 9)])
    first, key = await read.page(store, WHERE, IMAGE, 2, None)
    rest, last = await read.page(store, WHERE, IMAGE, 2, key)
    empty, none = await read.page(store, WHERE, IMAGE, 2, last)
    assert [(e["metric"], e["iter"]) for e in first + rest] == [("a", 1), ("a", 2), ("b", 1)]
    assert key == ["a", "v", 2, "e001"]
    assert (empty, none) == ([], None)
    assert store.asked(read.AFTER)[0] == [*WHERE, IMAGE, "a", "v", 2, "e001", 2]
    assert await read.count(store, WHERE, IMAGE) == 3


async def test_vectors_of_one_variant_in_iteration_order_and_the_variants_listed():
    rows = [
        event(VECTOR, "hist", "b", 2, 1, value=[2]),
        event(VECTOR, "hist", "a", 5, 2, value=[5]),
        event(VECTOR, "hist", "b", 1, 3, value=[1]),
        event(VECTOR, "other", "c", 0, 4),
    ]
    store = events_store(rows)
    assert await read.vectors(store, WHERE, "hist", "b") == ([[1], [2]], [1, 2])
    assert await read.variants(store, WHERE, VECTOR) == {"hist": ["a", "b"], "other": ["c"]}
    assert [e["iter"] for e in await read.of_type(store, WHERE, VECTOR)] == [5, 1, 2, 0]
