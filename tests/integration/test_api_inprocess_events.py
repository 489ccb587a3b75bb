"""Debug images, plots and the sample viewers against the real app in process, over task_events
rows written straight into the scratch keyspace (the handlers, not the ingest path)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from config.settings import Settings
from projections.mutations import Upsert
from streams.cassandra.store import Store
from tests.integration.edge_app import meta

pytestmark = pytest.mark.integration
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
IMAGE, PLOT = "training_debug_image", "plot"


async def new_task(store: Store, settings: Settings, name: str = "events") -> str:
    task = f"t-{secrets.token_hex(8)}"
    row = {"company": settings.default_company, "id": task, "name": name, "type": "training"}
    await store.apply([Upsert("tasks", {**row, "status": "in_progress", "created": CREATED})])
    return task


async def report(store: Store, settings: Settings, task: str, events: list[dict[str, Any]]) -> None:
    rows = []
    for n, e in enumerate(events):
        doc = {"task": task, "timestamp": 1000 + n, **e}
        row = {k: e[k] for k in ("type", "metric", "variant", "iter")}
        row |= {"company": settings.default_company, "task": task, "id": f"e{n:04d}"}
        rows.append(Upsert("task_events", {**row, "timestamp": 1000 + n, "doc": orjson.dumps(doc)}))
    await store.apply(rows)


def image(metric: str, variant: str, iteration: int, url: str | None = None) -> dict[str, Any]:
    url = url or f"http://f/{metric}/{variant}/{iteration}.png"
    return {"type": IMAGE, "metric": metric, "variant": variant, "iter": iteration, "url": url}


def plot(metric: str, variant: str, iteration: int) -> dict[str, Any]:
    return {"type": PLOT, "metric": metric, "variant": variant, "iter": iteration, "plot_str": "{}"}


async def answer(client, endpoint: str, body: dict) -> tuple[dict, dict]:
    response = await client.post(f"/{endpoint}", json=body)
    return await meta(response), (await response.json())["data"]


async def data(client, endpoint: str, body: dict) -> dict:
    status, found = await answer(client, endpoint, body)
    assert status["result_code"] == 200, status
    return found


@pytest.fixture
async def images(store: Store, test_settings: Settings) -> str:
    """Iterations 0-4 of variants a and b of metric m, another metric, and a recycled URL."""
    task = await new_task(store, test_settings)
    events = [image("m", v, i) for i in range(5) for v in ("a", "b")]
    events += [image("other", "a", 9), image("m", "c", 1, "http://f/c.png")]
    events += [image("m", "c", 3, "http://f/c.png"), image("m", "c", 3, "http://f/c.png")]
    await report(store, test_settings, task, events)
    return task


def pairs(page: dict) -> list[list[tuple[str, str, int]]]:
    return [
        [(e["metric"], e["variant"], e["iter"]) for e in it["events"]] for it in page["iterations"]
    ]


async def test_debug_images_page_by_scroll_id_with_the_wanted_variants(client, images):
    body: dict[str, Any] = {"metrics": [{"task": images, "metric": "m", "variants": ["b"]}]}
    body["iters"] = 2
    seen = []
    for _ in range(5):
        found = await data(client, "events.debug_images", body)
        (task_page,) = found["metrics"]
        assert task_page["task"] == images
        if not task_page["iterations"]:
            break
        seen.extend(pairs(task_page))
        body["scroll_id"] = found["scroll_id"]
    assert seen == [[("m", "b", i)] for i in (4, 3, 2, 1, 0)]


async def test_debug_images_of_a_metric_keep_the_latest_image_per_url(client, images):
    body = {"metrics": [{"task": images, "metric": "m"}], "iters": 3}
    found = pairs((await data(client, "events.debug_images", body))["metrics"][0])
    assert found == [
        [("m", "a", 4), ("m", "b", 4)],
        [("m", "a", 3), ("m", "b", 3), ("m", "c", 3)],  # c's URL once, though reported twice
        [("m", "a", 2), ("m", "b", 2)],
    ]
    later = await data(client, "events.debug_images", {**body, "iters": 2})
    nothing = {**body, "navigate_earlier": False, "scroll_id": later["scroll_id"]}
    assert (await data(client, "events.debug_images", nothing))["metrics"][0]["iterations"] == []
    status, _ = await answer(client, "events.debug_images", {**body, "scroll_id": "bogus"})
    assert (status["result_code"], status["result_subcode"]) == (400, 1104)


async def test_the_debug_image_viewer_steps_through_variants_and_iterations(client, images):
    body = {"task": images, "metric": "m", "variant": "a", "iteration": 2}
    first = await data(client, "events.get_debug_image_sample", body)
    assert (first["event"]["variant"], first["event"]["iter"]) == ("a", 2)
    assert (first["min_iteration"], first["max_iteration"]) == (0, 4)
    steps = []
    scroll = first["scroll_id"]
    for _ in range(3):
        step = {"task": images, "scroll_id": scroll, "navigate_earlier": False}
        found = await data(client, "events.next_debug_image_sample", step)
        steps.append((found["event"]["variant"], found["event"]["iter"]))
        scroll = found["scroll_id"]
    assert steps == [("b", 2), ("a", 3), ("b", 3)]
    back = {"task": images, "scroll_id": scroll, "navigate_earlier": True, "next_iteration": True}
    found = await data(client, "events.next_debug_image_sample", back)
    assert (found["event"]["variant"], found["event"]["iter"]) == ("b", 2)
    recycled = await data(client, "events.get_debug_image_sample", {**body, "variant": "c"})
    assert (recycled["event"], recycled["min_iteration"]) == (None, 3)  # iteration 1 overwritten


async def test_the_plot_viewer_and_plots_by_iteration(client, store, test_settings):
    task = await new_task(store, test_settings)
    await report(
        store, test_settings, task, [plot(m, v, i) for i in (1, 2) for m in "xy" for v in "ba"]
    )
    first = await data(
        client, "events.get_plot_sample", {"task": task, "metric": "x", "iteration": 1}
    )
    assert [(e["metric"], e["variant"], e["iter"]) for e in first["events"]] == [
        ("x", "a", 1),
        ("x", "b", 1),
    ]
    step = {"task": task, "scroll_id": first["scroll_id"], "navigate_earlier": False}
    found = await data(client, "events.next_plot_sample", step)
    assert {(e["metric"], e["iter"]) for e in found["events"]} == {("x", 2)}  # stays in x
    wide = {"task": task, "metric": "x", "iteration": 1, "navigate_current_metric": False}
    first = await data(client, "events.get_plot_sample", wide)
    step = {"task": task, "scroll_id": first["scroll_id"], "navigate_earlier": False}
    found = await data(client, "events.next_plot_sample", step)
    assert {(e["metric"], e["iter"]) for e in found["events"]} == {("y", 1)}
    page = await data(client, "events.plots", {"metrics": [{"task": task, "metric": "y"}]})
    assert pairs(page["metrics"][0]) == [[("y", "a", 2), ("y", "b", 2)]]


async def test_multi_task_plots_are_keyed_by_iteration(client, store, test_settings):
    task = await new_task(store, test_settings, name="plotted")
    await report(store, test_settings, task, [plot("x", "v", i) for i in (1, 2, 3)])
    found = await data(client, "events.get_multi_task_plots", {"tasks": [task], "iters": 2})
    by_iter = found["plots"]["x"]["v"][task]
    assert sorted(by_iter) == ["2", "3"]
    assert by_iter["3"]["name"] == "plotted"
    assert [p["iter"] for p in by_iter["3"]["plots"]] == [3]


async def test_multi_task_metrics_are_the_union_of_the_tasks(client, store, test_settings):
    one, two = await new_task(store, test_settings), await new_task(store, test_settings)
    await report(store, test_settings, one, [plot("x", "b", 1), plot("y", "a", 1)])
    await report(store, test_settings, two, [plot("x", "a", 1), image("i", "a", 1)])
    body = {"tasks": [one, two], "event_type": "plot"}
    found = await data(client, "events.get_multi_task_metrics", body)
    assert found["metrics"] == [
        {"metric": "x", "variants": ["a", "b"]},
        {"metric": "y", "variants": ["a"]},
    ]
