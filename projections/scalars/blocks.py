"""Scalar series storage: raw points and a downsampling pyramid, in blocks of packed arrays.

A series (task, metric, variant) is stored as rows keyed (level, block). Level 0 holds the
raw points, RAW_BLOCK iterations per block. Level L >= 1 holds buckets of FANOUT**L
iterations with count, sum, min and max (with their iterations), first and last value and
the earliest timestamp, LEVEL_BLOCK buckets per block. A bucket of level L+1 is the merge of
FANOUT buckets of level L, all in one block, so any bucket is recomputed exactly from the
block below it.

Points merge as a semilattice: one point per iteration, and of two points at the same
iteration the one with the later (timestamp, value) stays. Duplicates, re-sends, reordering
and replay therefore all converge on the same series, and every aggregate is a function of
that series. NaN values are kept as points but left out of aggregates.
"""

from __future__ import annotations

import itertools
import math
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

RAW_BLOCK = 200
LEVEL_BLOCK = 200
FANOUT = 10
LEVELS = 4
SINGLE_VALUE_ITER = -(2**31)  # report_single_value's iteration: kept apart from plots

AGG_INT = ("index", "count", "min_iter", "max_iter", "first_iter", "last_iter", "ts_min")
AGG_FLOAT = ("sum", "min", "max", "first", "last")
Agg = tuple[int, int, float, float, int, float, int, int, float, int, float, int]
# (index, count, sum, min, min_iter, max, max_iter, first_iter, first, last_iter, last, ts_min)


def width(level: int) -> int:
    return int(FANOUT**level)


def block_of(level: int, index: int) -> int:
    """The block holding raw iteration `index` (level 0) or bucket `index` (level >= 1)."""
    return index // (RAW_BLOCK if level == 0 else LEVEL_BLOCK)


def _rank(value: float) -> float:
    return -math.inf if value != value else value  # noqa: PLR0124 - NaN ranks lowest


@dataclass
class RawBlock:
    """Points of one level-0 block, sorted by iteration, one per iteration."""

    iters: array[int] = field(default_factory=lambda: array("q"))
    values: array[float] = field(default_factory=lambda: array("d"))
    stamps: array[int] = field(default_factory=lambda: array("q"))

    def merge(
        self,
        iters: list[int],
        values: list[float],
        stamps: list[int],
        ascending: bool | None = None,
    ) -> None:
        """Fold points in (any order, duplicates allowed); `ascending` may say what is known."""
        if ascending is None:
            ascending = _ascending(iters)
        if ascending and (not self.iters or iters[0] > self.iters[-1]):
            self.iters.extend(iters)
            self.values.extend(values)
            self.stamps.extend(stamps)
            return
        points = {i: (t, v) for i, v, t in zip(self.iters, self.values, self.stamps, strict=True)}
        for i, v, t in zip(iters, values, stamps, strict=True):
            old = points.get(i)
            if old is None or (t, _rank(v)) > (old[0], _rank(old[1])):
                points[i] = (t, v)
        order = sorted(points)
        self.iters = array("q", order)
        self.values = array("d", (points[i][1] for i in order))
        self.stamps = array("q", (points[i][0] for i in order))

    def bucket(self, index: int) -> Agg | None:
        """The level-1 bucket `index` computed from these points."""
        lo = bisect_left(self.iters, index * FANOUT)
        hi = bisect_left(self.iters, (index + 1) * FANOUT, lo)
        return _aggregate(index, self.iters[lo:hi], self.values[lo:hi], self.stamps[lo:hi])

    def encode(self) -> bytes:
        return _pack(len(self.iters), (self.iters, self.values, self.stamps))

    @classmethod
    def decode(cls, data: bytes) -> RawBlock:
        n, (iters, values, stamps) = _unpack(data, "qdq")
        assert len(iters) == n
        return cls(iters, values, stamps)


def _ascending(iters: list[int]) -> bool:
    return all(a < b for a, b in itertools.pairwise(iters))


def _aggregate(
    index: int, iters: array[int], values: array[float], stamps: array[int]
) -> Agg | None:
    total = math.fsum(values)
    if total != total:  # noqa: PLR0124 - a NaN among the values: aggregate the others
        keep = [k for k, v in enumerate(values) if v == v]  # noqa: PLR0124
        iters = array("q", (iters[k] for k in keep))
        values = array("d", (values[k] for k in keep))
        stamps = array("q", (stamps[k] for k in keep))
        total = math.fsum(values)
    if not values:
        return None
    low, high = min(values), max(values)
    return (
        index, len(values), total,
        low, iters[values.index(low)],
        high, iters[values.index(high)],
        iters[0], values[0], iters[-1], values[-1], min(stamps),
    )  # fmt: skip


def merge_aggs(index: int, children: list[Agg]) -> Agg | None:
    """One bucket from buckets it covers, given in iteration order."""
    if not children:
        return None
    low = min(children, key=lambda c: (c[3], c[4]))
    high = max(children, key=lambda c: (c[5], -c[6]))
    first, last = children[0], children[-1]
    return (
        index, sum(c[1] for c in children), math.fsum(c[2] for c in children),
        low[3], low[4], high[5], high[6],
        first[7], first[8], last[9], last[10], min(c[11] for c in children),
    )  # fmt: skip


KINDS = "qqddqdqqdqdq"  # the Agg fields' array types


@dataclass
class LevelBlock:
    """Buckets of one aggregate block, sorted by bucket index.

    The buckets are also kept as columns, updated in step by put(): a block is re-encoded after
    every batch that touches it, and copying arrays is much cheaper than rebuilding them from
    up to LEVEL_BLOCK tuples each time.
    """

    buckets: list[Agg] = field(default_factory=list)
    columns: list[array[Any]] | None = field(default=None, repr=False, compare=False)

    def _columns(self) -> list[array[Any]]:
        if self.columns is None:
            rows = list(zip(*self.buckets, strict=True)) if self.buckets else [()] * 12
            self.columns = [array(k, col) for k, col in zip(KINDS, rows, strict=True)]
        return self.columns

    def put(self, agg: Agg | None, index: int) -> None:
        columns = self._columns()
        keys = columns[0]
        at = bisect_left(keys, index)
        present = at < len(keys) and keys[at] == index
        if agg is None:
            if present:
                del self.buckets[at]
                for column in columns:
                    del column[at]
        elif present:
            self.buckets[at] = agg
            for column, value in zip(columns, agg, strict=True):
                column[at] = value
        else:
            self.buckets.insert(at, agg)
            for column, value in zip(columns, agg, strict=True):
                column.insert(at, value)

    def children(self, parent: int) -> list[Agg]:
        """The buckets of this (lower) level that make up bucket `parent` one level up."""
        keys = self._columns()[0]
        lo = bisect_left(keys, parent * FANOUT)
        hi = bisect_left(keys, (parent + 1) * FANOUT, lo)
        return self.buckets[lo:hi]

    def encode(self) -> bytes:
        return _pack(len(self.buckets), self._columns())

    @classmethod
    def decode(cls, data: bytes) -> LevelBlock:
        _n, arrays = _unpack(data, KINDS)
        return cls([tuple(row) for row in zip(*arrays, strict=True)], arrays)


def _pack(n: int, arrays: Sequence[array[Any]]) -> bytes:
    return n.to_bytes(4, "little") + b"".join(a.tobytes() for a in arrays)


def _unpack(data: bytes, kinds: str) -> tuple[int, list[array[Any]]]:
    n = int.from_bytes(data[:4], "little")
    out, at = [], 4
    for kind in kinds:
        column = array(kind)
        column.frombytes(data[at : at + 8 * n])
        at += 8 * n
        out.append(column)
    return n, out
