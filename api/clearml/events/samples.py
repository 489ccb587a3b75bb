"""The sample viewers: events.get_debug_image_sample / next_debug_image_sample and
events.get_plot_sample / next_plot_sample. The position (task, metric, variant, iteration and
whether navigation stays in the metric) travels in the scroll id, so any API instance serves
the next step; the valid iterations are read afresh each time."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.events.task_gate import known_task, model_events
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.telemetry.metrics import IMAGE, PLOT
from projections.events import read as events
from projections.events import samples
from projections.events.documents import decode_scroll, encode_scroll

State = dict[str, Any]  # t: task, m: metric, c: stay in the metric, v: variant, i: iteration


def _state(call: Call, task: str, required: bool) -> State | None:
    scroll_id = fields.string(call.data, "scroll_id")
    if not scroll_id:
        if required:
            raise errors.MissingRequiredFields(fields="scroll_id")
        return None
    state = decode_scroll(scroll_id)
    if not state or state.get("t") != task or not isinstance(state.get("m"), str):
        raise errors.InvalidScrollId(scroll_id=scroll_id)
    return state


def _started(call: Call, task: str, metric: str) -> State:
    """The state of a get_*_sample call: the one passed along if it matches, else a new one."""
    staying = fields.boolean(call.data, "navigate_current_metric", default=True)
    state = _state(call, task, required=False)
    if state is None:
        return {"t": task, "m": metric, "c": staying}
    if state.get("c") != staying or (staying and state["m"] != metric):
        raise errors.InvalidScrollId(
            "Task and metric stored in the state do not match the passed ones"
        )
    return state


async def _read(call: Call, svc: Services, kind: str, state: State) -> list[dict[str, Any]]:
    task = state["t"]
    await known_task(svc, call.who.company, task, model_events(call.data))
    metric = state["m"] if state.get("c") else None
    return await events.located(svc.store, (call.who.company, task), kind, metric)


def _answer(state: State, span: samples.Span | None, **found: Any) -> dict[str, Any]:
    first, last = (span.first, span.last) if span else (None, None)
    return {
        "scroll_id": encode_scroll(state),
        **found,
        "min_iteration": first,
        "max_iteration": last,
    }


def _iteration(call: Call) -> int | None:
    return fields.integer(call.data, "iteration")


async def get_debug_image_sample(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task, metric = fields.req_string(d, "task"), fields.req_string(d, "metric")
    variant = fields.req_string(d, "variant")
    state = _started(call, task, metric)
    images = await _read(call, svc, IMAGE, state)
    span = next((s for s in samples.image_spans(images) if s[:2] == (metric, variant)), None)
    event = samples.image_at(images, span, _iteration(call)) if span else None
    if event is not None:
        state.update(m=metric, v=variant, i=event["iter"])
    return _answer(state, span, event=event)


async def next_debug_image_sample(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    state = _state(call, fields.req_string(d, "task"), required=True) or {}
    images = await _read(call, svc, IMAGE, state)
    spans = samples.image_spans(images)
    event = None
    if isinstance(state.get("v"), str) and type(state.get("i")) is int:
        at = (state["m"], state["v"], state["i"])
        earlier = fields.boolean(d, "navigate_earlier", default=True)
        event = samples.next_image(images, spans, at, earlier, fields.boolean(d, "next_iteration"))
    if event is None:
        return {"scroll_id": fields.string(d, "scroll_id"), "event": None,
                "min_iteration": None, "max_iteration": None}  # fmt: skip
    state.update(m=event["metric"], v=event["variant"], i=event["iter"])
    span = next(s for s in spans if s[:2] == (event["metric"], event["variant"]))
    return _answer(state, span, event=event)


async def get_plot_sample(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task, metric = fields.req_string(d, "task"), fields.req_string(d, "metric")
    state = _started(call, task, metric)
    plots = await _read(call, svc, PLOT, state)
    span = next((s for s in samples.plot_spans(plots) if s.metric == metric), None)
    found = samples.plots_at(plots, metric, _iteration(call)) if span else []
    if found:
        state.update(m=metric, i=found[0]["iter"])
    return _answer(state, span, events=found)


async def next_plot_sample(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    state = _state(call, fields.req_string(d, "task"), required=True) or {}
    plots = await _read(call, svc, PLOT, state)
    found: list[dict[str, Any]] = []
    if type(state.get("i")) is int:
        earlier = fields.boolean(d, "navigate_earlier", default=True)
        jump, staying = fields.boolean(d, "next_iteration"), bool(state.get("c"))
        found = samples.next_plots(plots, (state["m"], state["i"]), earlier, jump, staying)
    if not found:
        return {"scroll_id": fields.string(d, "scroll_id"), "events": [],
                "min_iteration": None, "max_iteration": None}  # fmt: skip
    state.update(m=found[0]["metric"], i=found[0]["iter"])
    span = next(s for s in samples.plot_spans(plots) if s.metric == state["m"])
    return _answer(state, span, events=found)


ENDPOINTS = [
    Endpoint("events.get_debug_image_sample", get_debug_image_sample),
    Endpoint("events.next_debug_image_sample", next_debug_image_sample),
    Endpoint("events.get_plot_sample", get_plot_sample),
    Endpoint("events.next_plot_sample", next_plot_sample),
]
