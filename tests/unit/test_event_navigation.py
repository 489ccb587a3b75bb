"""Debug images and plots by iteration, and the sample viewers' steps, on plain event lists."""

from __future__ import annotations

from typing import Any

from projections.events import iterations, samples


def image(metric: str, variant: str, iteration: int, url: str | None = None, ts: int = 0) -> dict:
    url = url or f"{metric}/{variant}/{iteration}.png"
    return {"metric": metric, "variant": variant, "iter": iteration, "url": url, "timestamp": ts}


def grid(iters: int = 3, variants: tuple[str, ...] = ("a", "b")) -> list[dict[str, Any]]:
    return [image("m", v, i) for i in range(iters) for v in variants]


def test_pages_go_from_the_latest_iterations_back_then_stop():
    events = grid(iters=5)
    first, bounds = iterations.page(events, 2, True, None)
    assert [p["iter"] for p in first] == [4, 3]
    assert [e["variant"] for e in first[0]["events"]] == ["a", "b"]
    second, bounds = iterations.page(events, 2, True, bounds)
    third, bounds = iterations.page(events, 2, True, bounds)
    last, after = iterations.page(events, 2, True, bounds)
    assert ([p["iter"] for p in second], [p["iter"] for p in third]) == ([2, 1], [0])
    assert (last, after) == ([], (0, 0))


def test_navigating_later_returns_the_iterations_after_the_highest_seen():
    events = grid(iters=5)
    _, bounds = iterations.page(events, 2, True, None)
    assert iterations.page(events, 2, False, bounds) == ([], (3, 4))
    earlier, bounds = iterations.page(events, 3, True, bounds)
    later, _ = iterations.page(events, 1, False, (0, 1))
    assert [p["iter"] for p in earlier] == [2, 1, 0]
    assert [p["iter"] for p in later] == [2]


def test_the_first_page_is_the_latest_even_when_asked_for_later_ones():
    first, _ = iterations.page(grid(iters=4), 1, False, None)
    assert [p["iter"] for p in first] == [3]


def test_chosen_keeps_wanted_metrics_and_variants():
    events = [*grid(), image("other", "a", 1)]
    assert {e["variant"] for e in iterations.chosen(events, {"m": ["b"]})} == {"b"}
    assert {e["metric"] for e in iterations.chosen(events, {"m": None})} == {"m"}
    assert len(iterations.chosen(events, {})) == len(events)


def test_a_recycled_url_shows_only_its_latest_image():
    events = [image("m", "v", i, url=f"v_{i % 2}.png", ts=i) for i in range(5)]
    events.append(image("m", "v", 4, url="v_0.png", ts=99))  # the same URL again in one iteration
    current = iterations.current_images(events)
    assert sorted((e["iter"], e["url"], e["timestamp"]) for e in current) == [
        (3, "v_1.png", 3),
        (4, "v_0.png", 99),
    ]


def test_events_of_an_iteration_are_by_metric_variant_then_url_descending():
    events = [image("m", "v", 1, "a.png"), image("m", "v", 1, "b.png"), image("l", "z", 1)]
    (only,), _ = iterations.page(events, 1, True, None)
    assert [(e["metric"], e["url"]) for e in only["events"]] == [
        ("l", "l/z/1.png"),
        ("m", "b.png"),
        ("m", "a.png"),
    ]


def test_image_spans_start_at_the_oldest_image_not_overwritten():
    events = [image("m", "v", i, url=f"v_{i % 3}.png") for i in range(7)] + [image("m", "w", 2)]
    assert samples.image_spans(events) == [
        samples.Span("m", "v", 4, 6),
        samples.Span("m", "w", 2, 2),
    ]


def test_image_at_an_iteration_or_the_latest_before_it():
    events = grid(iters=4)
    span = samples.Span("m", "b", 0, 3)
    assert samples.image_at(events, span, None)["iter"] == 3
    assert samples.image_at(events, span, 1)["iter"] == 1
    assert samples.image_at(events, span._replace(first=2), 1) is None


def test_next_image_steps_through_variants_then_iterations():
    events = grid(iters=3)
    spans = samples.image_spans(events)

    def step(at: tuple[str, str, int], earlier: bool, jump: bool = False) -> tuple[str, int] | None:
        found = samples.next_image(events, spans, at, earlier, jump)
        return None if found is None else (found["variant"], found["iter"])

    assert step(("m", "a", 1), earlier=False) == ("b", 1)
    assert step(("m", "b", 1), earlier=False) == ("a", 2)
    assert step(("m", "a", 1), earlier=True) == ("b", 0)
    assert step(("m", "b", 1), earlier=True) == ("a", 1)
    assert step(("m", "a", 1), earlier=False, jump=True) == ("a", 2)
    assert step(("m", "b", 2), earlier=False) is None
    assert step(("m", "a", 0), earlier=True) is None


def plot(metric: str, variant: str, iteration: int) -> dict:
    return {"metric": metric, "variant": variant, "iter": iteration, "plot_str": "{}"}


PLOTS = [plot(m, v, i) for i in (1, 2) for m in ("x", "y") for v in ("b", "a")]


def test_plots_at_an_iteration_are_one_metrics_variants():
    found = samples.plots_at(PLOTS, "x", None)
    assert [(e["iter"], e["variant"]) for e in found] == [(2, "a"), (2, "b")]
    assert samples.plot_spans(PLOTS) == [samples.Span("x", "", 1, 2), samples.Span("y", "", 1, 2)]


def test_next_plots_steps_through_metrics_unless_kept_to_one():
    def step(at: tuple[str, int], earlier: bool, jump: bool, one: bool) -> tuple[str, int] | None:
        found = samples.next_plots(PLOTS, at, earlier, jump, one)
        return (found[0]["metric"], found[0]["iter"]) if found else None

    assert step(("x", 1), earlier=False, jump=False, one=False) == ("y", 1)
    assert step(("y", 1), earlier=False, jump=False, one=False) == ("x", 2)
    assert step(("x", 2), earlier=True, jump=False, one=False) == ("y", 1)
    assert step(("x", 1), earlier=False, jump=False, one=True) == ("x", 2)
    assert step(("x", 1), earlier=False, jump=True, one=False) == ("x", 2)
    assert step(("y", 2), earlier=False, jump=False, one=False) is None
