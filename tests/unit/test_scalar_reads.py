"""Scalar reads against a fake store holding series folded by the real pyramid."""

from __future__ import annotations

import math
from typing import Any

from projections.scalars import documents, downsample, read
from projections.scalars.blocks import LEVELS, SINGLE_VALUE_ITER, LevelBlock
from projections.scalars.series import Series, blocks_for
from tests.unit.scripted_query import ScriptedQuery

WHERE = ("c1", "t1")
Point = tuple[int, float, int]


def folded(points: list[Point]) -> Series:
    series = Series()
    iters = [p[0] for p in points]
    for key in series.missing(blocks_for(iters)):
        series.load(key, None)
    series.fold(iters, [p[1] for p in points], [p[2] for p in points])
    return series


def scalar_store(tables: dict[tuple[str, str], list[Point]]) -> ScriptedQuery:
    """scalar_series and scalar_blocks of one task, answered as Cassandra would."""
    pyramids = {key: folded(points) for key, points in tables.items()}

    def blocks(metric: str, variant: str, level: int) -> list[tuple[int, bytes]]:
        series = pyramids[(metric, variant)]
        keys = sorted(k for k in series.dirty if k[0] == level)
        return [(block, series.encoded((level, block))) for _level, block in keys]

    def series_rows(params: list[Any]) -> list[dict[str, Any]]:
        assert params == list(WHERE)
        return [
            {"metric": m, "variant": v, "stats": LevelBlock([s.stats()]).encode()}
            for (m, v), s in sorted(pyramids.items())
        ]

    def level(params: list[Any]) -> list[dict[str, Any]]:
        return [{"data": d} for _b, d in blocks(*params[2:5])]

    def raw_from(params: list[Any]) -> list[dict[str, Any]]:
        return [{"block": b, "data": d} for b, d in blocks(*params[2:4], 0) if b >= params[4]]

    def raw_one(params: list[Any]) -> list[dict[str, Any]]:
        return [{"data": d} for b, d in blocks(*params[2:4], 0) if b == params[4]]

    def raw_last(params: list[Any]) -> list[dict[str, Any]]:
        return [{"data": d} for _b, d in reversed(blocks(*params[2:4], 0))][: params[4]]

    return ScriptedQuery(
        {
            read.SERIES: series_rows,
            read.LEVEL_BLOCKS: level,
            read.RAW_FROM: raw_from,
            read.RAW_ONE: raw_one,
            read.RAW_LAST: raw_last,
        }
    )


def ramp(n: int, step: int = 1) -> list[Point]:
    return [(i * step, float(i), 1000 + i) for i in range(n)]


async def test_pages_walk_every_series_in_order_once_and_resume_inside_a_series():
    store = scalar_store({("loss", "b"): ramp(5), ("loss", "a"): ramp(450), ("acc", "x"): ramp(2)})
    seen: list[dict[str, Any]] = []
    at: tuple[int, int | None] = (0, None)
    while True:
        page = await read.page(store, WHERE, "loss", 100, at)
        seen.extend(page.events)
        assert page.total == 455
        if len(page.events) < 100:
            break
        at = (page.position, page.start)
    assert [(e["variant"], e["iter"]) for e in seen] == [("a", i) for i in range(450)] + [
        ("b", i) for i in range(5)
    ]
    assert seen[7] == documents.scalar_doc("t1", "loss", "a", (7, 7.0, 1007))
    # a page resuming at iteration 400 reads from its raw block on, not from the series' start
    assert [400 // 200] in [p[4:] for p in store.asked(read.RAW_FROM)]


async def test_last_points_read_more_blocks_from_the_end_until_they_hold_enough():
    points = ramp(60, step=100)  # two points a block: 100 values need 50 blocks
    store = scalar_store({("m", "v"): points})
    (series,) = await read.series(store, WHERE)
    found = await read.last_points(store, WHERE, series)
    assert found == points[-read.LAST_VALUES :] == points  # 60 points, fewer than LAST_VALUES
    assert [p[-1] for p in store.asked(read.RAW_LAST)] == [1, 4, 16, 64]


async def test_latest_values_leave_nan_out_of_the_mean():
    store = scalar_store({("m", "v"): [(1, 2.0, 10), (2, math.nan, 30), (3, 4.0, 20)]})
    series = await read.series(store, WHERE)
    lasts = [await read.last_points(store, WHERE, s) for s in series]
    answer = documents.latest(series, lasts)
    variant = answer["metrics"][0]["variants"][0]
    assert variant["last_100_value"] == 3.0
    assert (answer["last_iter"], answer["last_timestamp"]) == (3, 30)


async def test_a_short_series_is_answered_point_by_point_from_raw_blocks():
    store = scalar_store({("m", "v"): ramp(10, step=3)})
    (series,) = await read.series(store, WHERE)
    assert await read.xy(store, WHERE, series, 2000, "iter") == (
        [i * 3 for i in range(10)],
        [float(i) for i in range(10)],
    )
    assert store.asked(read.LEVEL_BLOCKS) == [[*WHERE, "m", "v", 0]]


async def test_a_long_series_is_answered_from_the_coarsest_level_that_fits():
    store = scalar_store({("m", "v"): ramp(20_000)})
    (series,) = await read.series(store, WHERE)
    xs, ys = await read.xy(store, WHERE, series, 100, "iter")
    plan = downsample.plan(20_000, 0, 19_999, 100)
    assert 0 < plan.level <= LEVELS
    assert store.asked(read.LEVEL_BLOCKS) == [[*WHERE, "m", "v", plan.level]]
    assert xs[:2] == [0, plan.interval]
    assert ys[0] == sum(range(plan.interval)) / plan.interval


async def test_single_values_are_the_points_at_their_own_iteration():
    store = scalar_store({("m", "v"): [(SINGLE_VALUE_ITER, 7.5, 99), (3, 1.0, 5)]})
    assert await read.single_values(store, WHERE) == [
        {"metric": "m", "variant": "v", "value": 7.5, "timestamp": 99}
    ]


async def test_series_keep_clearml_metrics_filter_and_count_their_points():
    store = scalar_store({("a", "x"): ramp(3), ("a", "y"): ramp(4), ("b", "z"): ramp(5)})
    kept = await read.series(store, WHERE, [{"metric": "a", "variants": ["y"]}, {"metric": "b"}])
    assert [(s.metric, s.variant, s.count) for s in kept] == [("a", "y", 4), ("b", "z", 5)]
    assert await read.count(store, WHERE) == 12
    assert await read.metrics_and_variants(store, WHERE) == {
        "a": {"x": {"name": "x"}, "y": {"name": "y"}},
        "b": {"z": {"name": "z"}},
    }
