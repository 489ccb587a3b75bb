"""Downsampled scalar plots from the pyramid, the way ClearML's histogram aggregation answers.

ClearML buckets a series by `interval = ceil(range / samples)` iterations and returns the mean
value per non-empty bucket, keyed by the bucket's start. Here the interval is rounded up to a
multiple of the coarsest pyramid width that fits in it, so every bucket is an exact merge of
stored buckets: the answer has between samples/2 and samples points, and equals brute-force
bucketing of the raw points at that interval (a unit test checks this on random series).
With key=timestamp or iso_time the buckets are still iteration ranges, labelled with the
earliest timestamp in each.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import truediv
from typing import Any

from projections.scalars.blocks import LEVELS, SINGLE_VALUE_ITER, RawBlock, width

DEFAULT_SAMPLES = 2000
MAX_SAMPLES = 6000


@dataclass(frozen=True)
class Plan:
    """How to answer one series: which level to read and how many of its buckets make one."""

    level: int
    interval: int  # iterations per answered bucket


def plan(count: int, first_iter: int, last_iter: int, samples: int) -> Plan:
    if count < samples:
        return Plan(0, 1)
    interval = max(1, math.ceil((last_iter - first_iter + 1) / samples))
    level = 0
    while level < LEVELS and width(level + 1) <= interval:
        level += 1
    step = width(level)
    return Plan(level, step * math.ceil(interval / step))


XY = tuple[list[Any], list[Any]]


def from_raw(blocks: list[bytes], interval: int, key: str) -> XY:
    """Mean per bucket of `interval` iterations straight from raw points (NaN left out)."""
    sums: dict[int, list[Any]] = {}
    for data in blocks:
        raw = RawBlock.decode(data)
        for i, v, t in zip(raw.iters, raw.values, raw.stamps, strict=True):
            if i == SINGLE_VALUE_ITER:
                continue
            slot = sums.setdefault(i // interval, [0.0, 0, t, 0])
            slot[3] += 1
            slot[2] = min(slot[2], t)
            if v == v:  # noqa: PLR0124 - NaN is left out of means
                slot[0] += v
                slot[1] += 1
    order = sorted(sums)
    ys = [sums[b][0] / sums[b][1] if sums[b][1] else None for b in order]
    return _xs(order, interval, [sums[b][2] for b in order], key), ys


def from_level(blocks: list[bytes], interval: int, level: int, key: str) -> XY:
    """Mean per bucket of `interval` iterations, merging stored buckets of `level`."""
    group = interval // width(level)
    if group == 1:
        return _whole_buckets(blocks, interval, key)
    merged: dict[int, list[float]] = {}
    for data in blocks:
        index, count, total, stamps = _columns(data)
        for b, c, s, t in zip(index, count, total, stamps, strict=True):
            slot = merged.get(b // group)
            if slot is None:
                merged[b // group] = [s, c, t]
            else:
                slot[0] += s
                slot[1] += c
                slot[2] = min(slot[2], t)
    order = sorted(k for k in merged if k * interval > SINGLE_VALUE_ITER)
    ys = [merged[k][0] / merged[k][1] for k in order]
    return _xs(order, interval, [int(merged[k][2]) for k in order], key), ys


def _whole_buckets(blocks: list[bytes], interval: int, key: str) -> XY:
    """The stored buckets are the answer's (the usual plan): no merging, arrays concatenated.
    Blocks come in block order, so their buckets are in bucket order."""
    order: list[int] = []
    stamps: list[int] = []
    ys: list[float] = []
    for data in blocks:
        index, count, total, ts_min = _columns(data)
        order.extend(index)
        stamps.extend(ts_min)
        ys.extend(map(truediv, total, count))
    if order and order[0] * interval <= SINGLE_VALUE_ITER:
        keep = [n for n, b in enumerate(order) if b * interval > SINGLE_VALUE_ITER]
        order, stamps, ys = (
            [order[n] for n in keep],
            [stamps[n] for n in keep],
            [ys[n] for n in keep],
        )
    return _xs(order, interval, stamps, key), ys


def _columns(data: bytes) -> tuple[array[int], array[int], array[float], array[int]]:
    """index, count, sum and ts_min of an encoded LevelBlock, without building its tuples."""
    n = int.from_bytes(data[:4], "little")
    cols: list[Any] = []
    for position, kind in ((0, "q"), (1, "q"), (2, "d"), (11, "q")):
        column = array(kind)
        start = 4 + position * 8 * n
        column.frombytes(data[start : start + 8 * n])
        cols.append(column)
    return cols[0], cols[1], cols[2], cols[3]


def _xs(buckets: list[int], interval: int, stamps: list[int], key: str) -> list[Any]:
    if key == "timestamp":
        return stamps
    if key == "iso_time":
        return [iso_z(t) for t in stamps]
    return [b * interval for b in buckets]


def iso_z(millis: int) -> str:
    moment = datetime.fromtimestamp(millis / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
