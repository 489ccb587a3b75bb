"""The scalar pyramid: exact under duplicates and reordering, and equal to brute force."""

import math
import random

import pytest

from projections.scalars import downsample
from projections.scalars.blocks import LEVELS, RawBlock
from projections.scalars.series import Series, blocks_for


def fold_all(series: Series, points: list[tuple[int, float, int]], chunk: int = 97) -> Series:
    for start in range(0, len(points), chunk):
        part = points[start : start + chunk]
        iters = [p[0] for p in part]
        for key in series.missing(blocks_for(iters)):
            series.load(key, None)
        series.fold(iters, [p[1] for p in part], [p[2] for p in part])
    return series


def random_points(rng: random.Random, n: int, spread: int) -> list[tuple[int, float, int]]:
    iters = rng.sample(range(spread), n)
    return [(i, rng.uniform(-100, 100), 1_000_000 + i) for i in iters]


def stored(series: Series) -> dict:
    return {key: series.encoded(key) for key in sorted(series.dirty)}


def test_given_duplicates_and_any_order_when_folded_then_every_block_is_the_same():
    rng = random.Random(7)
    points = random_points(rng, 3000, 50_000)
    once = fold_all(Series(), sorted(points))
    shuffled = points + rng.sample(points, 800)
    rng.shuffle(shuffled)
    again = fold_all(Series(), shuffled, chunk=61)
    assert stored(again) == stored(once)
    assert again.stats() == once.stats()


def test_a_later_report_of_an_iteration_replaces_the_earlier_one_in_every_order():
    early, late = (5, 1.0, 100), (5, 9.0, 200)
    forward = fold_all(Series(), [early, late])
    backward = fold_all(Series(), [late, early])
    assert forward.stats() == backward.stats()
    assert forward.stats()[10] == 9.0  # the last value
    assert forward.stats()[1] == 1  # one point, not two


@pytest.mark.parametrize(
    ("n", "spread", "samples"),
    [(5000, 5000, 100), (20_000, 300_000, 2000), (900, 1_000_000, 50), (20_000, 20_000, 2000)],
)
def test_the_pyramid_answer_equals_brute_force_bucketing(n, spread, samples):
    rng = random.Random(n)
    points = random_points(rng, n, spread)
    series = fold_all(Series(), points)
    stats = series.stats()
    chosen = downsample.plan(stats[1], stats[7], stats[9], samples)
    assert chosen.level > 0
    blocks = [
        series.encoded((level, block))
        for level, block in sorted(series.dirty)
        if level == chosen.level
    ]
    xs, ys = downsample.from_level(blocks, chosen.interval, chosen.level, "iter")
    buckets: dict[int, list[float]] = {}
    for i, v, _t in points:
        buckets.setdefault(i // chosen.interval, []).append(v)
    assert xs == [b * chosen.interval for b in sorted(buckets)]
    expected = [math.fsum(buckets[b]) / len(buckets[b]) for b in sorted(buckets)]
    assert all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(ys, expected, strict=True)
    )
    assert samples // 2 <= len(xs) <= samples


def test_series_stats_are_min_max_first_last_count_and_sum():
    points = [(3, 4.0, 10), (1, -2.0, 11), (7, 8.0, 12), (2, float("nan"), 13)]
    stats = fold_all(Series(), points).stats()
    _index, count, total, low, low_iter, high, high_iter, first_iter, first, last_iter, last, _ = (
        stats
    )
    assert (count, total) == (3, 10.0)
    assert (low, low_iter, high, high_iter) == (-2.0, 1, 8.0, 7)
    assert (first_iter, first, last_iter, last) == (1, -2.0, 7, 8.0)


def test_raw_blocks_round_trip_and_keep_nan():
    block = RawBlock()
    block.merge([1, 2], [float("nan"), 2.5], [5, 6])
    decoded = RawBlock.decode(block.encode())
    assert list(decoded.iters) == [1, 2]
    assert math.isnan(decoded.values[0])
    assert decoded.values[1] == 2.5


def test_small_series_are_answered_from_raw_points():
    assert downsample.plan(100, 0, 99, 2000) == downsample.Plan(0, 1)
    assert downsample.plan(200_000, 0, 199_999, 2000).interval == 100
    assert LEVELS >= 2
