"""The web app's sample viewers: one debug image (or one metric's plots) at a time, stepping
to the next or previous variant, metric or iteration as ClearML's sample history does.

Every function works on a task's events of one type (each with metric, variant, iter) and a
position (metric, variant, iteration) the caller keeps in its scroll id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

Event = dict[str, Any]


class Span(NamedTuple):
    """The valid iterations of one variant (images) or one metric (plots; variant "")."""

    metric: str
    variant: str
    first: int
    last: int


def image_spans(images: Iterable[Event]) -> list[Span]:
    """Per variant: from the lowest of its URLs' latest iterations (earlier images were
    overwritten) to its last iteration; in (metric, variant) order."""
    latest: dict[tuple[str, str], dict[Any, int]] = {}
    for e in images:
        urls = latest.setdefault((e["metric"], e["variant"]), {})
        urls[e.get("url")] = max(urls.get(e.get("url"), e["iter"]), e["iter"])
    return [Span(m, v, min(u.values()), max(u.values())) for (m, v), u in sorted(latest.items())]


def plot_spans(plots: Iterable[Event]) -> list[Span]:
    """Per metric, its first and last iteration, in metric order."""
    found: dict[str, tuple[int, int]] = {}
    for e in plots:
        low, high = found.get(e["metric"], (e["iter"], e["iter"]))
        found[e["metric"]] = (min(low, e["iter"]), max(high, e["iter"]))
    return [Span(m, "", low, high) for m, (low, high) in sorted(found.items())]


def image_at(images: list[Event], span: Span, iteration: int | None) -> Event | None:
    """The variant's image of `iteration` or the latest before it (its latest without one)."""
    top = span.last if iteration is None else iteration
    found = [
        e
        for e in images
        if (e["metric"], e["variant"]) == span[:2] and span.first <= e["iter"] <= top
    ]
    return max(found, key=_recency, default=None)


def next_image(
    images: list[Event], spans: list[Span], at: tuple[str, str, int], earlier: bool, jump: bool
) -> Event | None:
    """The next (or previous) variant's image in the same iteration, else (or with `jump`
    at once) the first (or last) variant's image of the next (or previous) iteration."""
    iteration = at[2]
    if not jump:
        found = _same_iteration(images, spans, at, earlier)
        if found is not None:
            return found
    kept = [s for s in spans if not earlier or s.first < iteration]
    starts = {(s.metric, s.variant): s.first for s in kept}
    candidates = [
        e
        for e in images
        if (e["metric"], e["variant"]) in starts
        and e["iter"] >= starts[(e["metric"], e["variant"])]
        and (e["iter"] < iteration if earlier else e["iter"] > iteration)
    ]
    return _first(candidates, lambda e: (e["iter"], e["metric"], e["variant"]), earlier)


def _same_iteration(
    images: list[Event], spans: list[Span], at: tuple[str, str, int], earlier: bool
) -> Event | None:
    metric, variant, iteration = at
    kept = {
        (s.metric, s.variant)
        for s in spans
        if s.first <= iteration
        and (
            (s.metric, s.variant) < (metric, variant)
            if earlier
            else (s.metric, s.variant) > (metric, variant)
        )
    }
    candidates = [
        e for e in images if e["iter"] == iteration and (e["metric"], e["variant"]) in kept
    ]
    return _first(candidates, lambda e: (e["metric"], e["variant"]), earlier)


def _first(events: list[Event], key: Any, earlier: bool) -> Event | None:
    """The event first in `key` order (last when going earlier), the latest reported on ties."""
    if not events:
        return None
    best = max(events, key=key) if earlier else min(events, key=key)
    ties = [e for e in events if key(e) == key(best)]
    return max(ties, key=_recency)


def _recency(event: Event) -> tuple[int, int]:
    return event["iter"], event.get("timestamp") or 0


def plots_at(plots: list[Event], metric: str, iteration: int | None) -> list[Event]:
    """The metric's plots of `iteration` or the latest before it, by variant."""
    found = [
        e for e in plots if e["metric"] == metric and (iteration is None or e["iter"] <= iteration)
    ]
    if not found:
        return []
    top = max(e["iter"] for e in found)
    return sorted((e for e in found if e["iter"] == top), key=lambda e: e["variant"])


def next_plots(
    plots: list[Event], at: tuple[str, int], earlier: bool, jump: bool, one_metric: bool
) -> list[Event]:
    """The plots of the next (or previous) metric in the same iteration (unless `jump` or
    `one_metric`), else of the first (or last) metric of the next (or previous) iteration."""
    metric, iteration = at

    def beyond(a: Any, b: Any) -> bool:
        return bool(a < b) if earlier else bool(a > b)

    def wanted(e: Event) -> bool:
        if one_metric and e["metric"] != metric:
            return False
        if beyond(e["iter"], iteration):
            return True
        return not (jump or one_metric) and e["iter"] == iteration and beyond(e["metric"], metric)

    candidates = [e for e in plots if wanted(e)]
    if not candidates:
        return []
    pick = max if earlier else min
    top = pick((e["iter"], e["metric"]) for e in candidates)
    chosen = [e for e in candidates if (e["iter"], e["metric"]) == top]
    return sorted(chosen, key=lambda e: e["variant"])
