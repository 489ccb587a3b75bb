"""Caps on what one request may ask for, where a request list or size drives the number of
queries or the size of the answer. Above a cap the caller gets a 400 naming the field and the
cap; the numbers sit well above what the ClearML web app and SDK send."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commands import errors

# Ids in a get_all filter (tasks, projects, queues): read 100 per query, concurrently. The web
# app's "select all" and the SDK's id lookups stay in the hundreds.
MAX_IDS = 10_000
# Any other list filter (users, types, tags, projects...): each term is matched per document.
MAX_LIST_TERMS = 1_000
# Tasks of one multi-task event read (compare views): several partitions each, concurrently;
# the web app compares at most a hundred or so.
MAX_TASKS_PER_READ = 1_000
# One page of a get_all. The web app pages by 15-50, the SDK by 500, a few reads by 5,000.
MAX_PAGE_SIZE = 10_000
# Event and log batches: ClearML's own default for scalar data is 10,000 per scroll.
MAX_BATCH_SIZE = 10_000


def capped(values: Sequence[Any] | None, name: str, limit: int) -> Sequence[Any] | None:
    if values is not None and len(values) > limit:
        raise errors.ValidationError(f"field '{name}' has more than {limit} items")
    return values


def page_size(size: int | None, name: str = "page_size") -> int | None:
    if size is not None and size > MAX_PAGE_SIZE:
        raise errors.ValidationError(f"field '{name}' is larger than {MAX_PAGE_SIZE}")
    return size


def batch_size(size: int) -> int:
    """A scroll's batch: more than the cap is served as several batches, as ClearML would."""
    return min(size, MAX_BATCH_SIZE)
