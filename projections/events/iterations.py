"""Debug images and plots paged by iteration, as ClearML's metric events iterator pages them.

A page holds the next `iters` iterations of a task (earlier or later than the ones already
returned) with their events ordered by metric, variant and, for images, URL descending. An
image whose URL was reported again in a later iteration is left out: the file at that URL
now holds the later image (the SDK recycles URLs once `history_size` is reached).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Event = dict[str, Any]
Wanted = dict[str, list[str] | None]  # metric -> its variants (None or empty: all of them)
Bounds = tuple[int, int]  # (lowest, highest) iteration returned so far


def chosen(events: Iterable[Event], wanted: Wanted) -> list[Event]:
    """The events of the wanted metrics and variants; no metric named keeps all."""
    if not wanted:
        return list(events)
    return [e for e in events if e["metric"] in wanted and _variant_kept(e, wanted[e["metric"]])]


def _variant_kept(event: Event, variants: list[str] | None) -> bool:
    return not variants or event["variant"] in variants


def current_images(events: Iterable[Event]) -> list[Event]:
    """Per (metric, variant, URL), the image of its latest iteration (the latest reported)."""
    latest: dict[tuple[str, str, Any], Event] = {}
    for event in events:
        key = (event["metric"], event["variant"], event.get("url"))
        found = latest.get(key)
        if found is None or _newer(event, found):
            latest[key] = event
    return list(latest.values())


def _newer(event: Event, than: Event) -> bool:
    return (event["iter"], event.get("timestamp") or 0) > (than["iter"], than.get("timestamp") or 0)


def page(
    events: Iterable[Event], iters: int, earlier: bool, bounds: Bounds | None
) -> tuple[list[dict[str, Any]], Bounds | None]:
    """The next `iters` iterations past `bounds` (the first page is always the latest ones),
    newest first, and the bounds after them."""
    earlier = earlier or bounds is None
    by_iter: dict[int, list[Event]] = {}
    for event in events:
        by_iter.setdefault(event["iter"], []).append(event)
    keys = sorted(by_iter, reverse=earlier)
    if bounds is not None:
        keys = [i for i in keys if (i < bounds[0] if earlier else i > bounds[1])]
    taken = sorted(keys[:iters], reverse=True)
    if not taken:
        return [], bounds
    iterations = [{"iter": i, "events": _ordered(by_iter[i])} for i in taken]
    return iterations, (taken[-1], taken[0])


def _ordered(events: list[Event]) -> list[Event]:
    """By metric and variant, then URL descending (a stable sort keeps the URL order)."""
    by_url = sorted(events, key=lambda e: str(e.get("url") or ""), reverse=True)
    return sorted(by_url, key=lambda e: (e["metric"], e["variant"]))
