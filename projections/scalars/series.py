"""One scalar series in the projector's memory: cached blocks, folding points, dirty blocks.

The blocks a batch touches are known from the points alone (`blocks_for`), so the runtime can
load the missing ones before the pure fold runs. After a fold, `dirty` names the blocks to
rewrite; `stats` is the whole series as one bucket (for last_metrics and the interval
computation of histograms), merged from one summary per top-level block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from projections.scalars.blocks import (
    FANOUT,
    LEVEL_BLOCK,
    LEVELS,
    RAW_BLOCK,
    SINGLE_VALUE_ITER,
    Agg,
    LevelBlock,
    RawBlock,
    block_of,
    merge_aggs,
    width,
)

Key = tuple[int, int]  # (level, block)
KEEP_BLOCKS = 2  # per level: the newest blocks stay cached, older ones are reloaded if touched


def consecutive(iters: Sequence[int]) -> bool:
    """True for ascending iterations without gaps, as a run reports them: the folds then
    take their shortcuts (ranges and slices in C instead of a Python step per point)."""
    if not iters or iters[-1] - iters[0] != len(iters) - 1:
        return False
    return list(iters) == list(range(iters[0], iters[-1] + 1))


def blocks_for(iters: Sequence[int]) -> set[Key]:
    """Every (level, block) that folding points at these iterations reads or writes."""
    if consecutive(iters):
        raw: Iterable[int] = range(iters[0] // RAW_BLOCK, iters[-1] // RAW_BLOCK + 1)
    else:
        raw = {i // RAW_BLOCK for i in iters}
    keys: set[Key] = {(0, b) for b in raw}
    for level in range(1, LEVELS + 1):
        # a level's block span is a multiple of RAW_BLOCK, so raw blocks map onto it exactly
        span = width(level) * LEVEL_BLOCK // RAW_BLOCK
        keys.update((level, b // span) for b in raw)
    return keys


@dataclass
class Series:
    raw: dict[int, RawBlock] = field(default_factory=dict)
    levels: list[dict[int, LevelBlock]] = field(default_factory=lambda: [{} for _ in range(LEVELS)])
    tops: dict[int, Agg] = field(default_factory=dict)  # top-level block -> its summary
    dirty: set[Key] = field(default_factory=set)

    def missing(self, keys: set[Key]) -> set[Key]:
        return {k for k in keys if not self.has(k)}

    def has(self, key: Key) -> bool:
        level, block = key
        return block in (self.raw if level == 0 else self.levels[level - 1])

    def load(self, key: Key, data: bytes | None) -> None:
        level, block = key
        if level == 0:
            self.raw[block] = RawBlock.decode(data) if data else RawBlock()
        else:
            self.levels[level - 1][block] = LevelBlock.decode(data) if data else LevelBlock()

    def fold(self, iters: list[int], values: list[float], stamps: list[int]) -> None:
        """Merge points in and recompute every bucket they touch, bottom-up."""
        run = consecutive(iters) and not iters[0] <= SINGLE_VALUE_ITER <= iters[-1]
        if run and block_of(0, iters[0]) == block_of(0, iters[-1]):
            by_block = {block_of(0, iters[0]): (iters, values, stamps)}
        else:
            by_block = _by_block(iters, values, stamps)
        for block, (bi, bv, bt) in by_block.items():
            self.raw[block].merge(bi, bv, bt, ascending=run or None)
            self.dirty.add((0, block))
        # report_single_value's points stay out of the pyramid, as ClearML keeps them off plots
        if run:
            touched: Iterable[int] = range(iters[0] // FANOUT, iters[-1] // FANOUT + 1)
        else:
            touched = {i // FANOUT for i in iters if i != SINGLE_VALUE_ITER}
        for bucket in touched:
            self._put(1, bucket, self.raw[block_of(0, bucket * FANOUT)].bucket(bucket))
        for level in range(2, LEVELS + 1):
            touched = {b // FANOUT for b in touched}
            below = self.levels[level - 2]
            for bucket in touched:
                children = below[block_of(level - 1, bucket * FANOUT)].children(bucket)
                self._put(level, bucket, merge_aggs(bucket, children))
        top = self.levels[LEVELS - 1]
        for block in {block_of(LEVELS, b) for b in touched}:
            summary = merge_aggs(block, top[block].buckets)
            if summary is None:
                self.tops.pop(block, None)
            else:
                self.tops[block] = summary

    def _put(self, level: int, bucket: int, agg: Agg | None) -> None:
        block = block_of(level, bucket)
        self.levels[level - 1][block].put(agg, bucket)
        self.dirty.add((level, block))

    def stats(self) -> Agg | None:
        return merge_aggs(0, [self.tops[b] for b in sorted(self.tops)])

    def encoded(self, key: Key) -> bytes:
        level, block = key
        if level == 0:
            return self.raw[block].encode()
        return self.levels[level - 1][block].encode()

    def trim(self) -> None:
        """Forget all but the newest cached blocks of each level (bounded memory)."""
        caches: list[dict[int, Any]] = [self.raw, *self.levels]
        for cache in caches:
            for block in sorted(cache)[:-KEEP_BLOCKS]:
                del cache[block]


def _by_block(
    iters: list[int], values: list[float], stamps: list[int]
) -> dict[int, tuple[list[int], list[float], list[int]]]:
    by_block: dict[int, tuple[list[int], list[float], list[int]]] = {}
    for i, v, t in zip(iters, values, stamps, strict=True):
        group = by_block.setdefault(block_of(0, i), ([], [], []))
        group[0].append(i)
        group[1].append(v)
        group[2].append(t)
    return by_block
