"""events.add / add_batch validation as ClearML does it, grouped into one record per task.

Each event is checked on its own; a bad one is counted under its reason (the reply's
errors_info) and the rest go through. Scalars take a short path, since they are most of the
volume: a few type checks and four appends.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from commands.limits import MAX_KEY_CHARS, MAX_TEXT_CHARS
from commands.telemetry.metrics import (
    EVENT_TYPES,
    LOG,
    PLOT,
    SCALAR,
    ReportedEvent,
    TaskEventsReported,
)

MAX_LONG = 2**63 - 1
MIN_LONG = -(2**63)
PLOT_COMPRESSION_THRESHOLD = 100_000
KNOWN = frozenset(
    [
        "type",
        "task",
        "timestamp",
        "ts",
        "iter",
        "metric",
        "variant",
        "worker",
        "value",
        "values",
        "plot_str",
        "url",
        "key",
        "level",
        "msg",
        "model_event",
    ]
)
NO_TYPE = "Event must have a 'type' field"
NO_TASK = "Event must have a 'task' field"
BAD_TASK = "Invalid task id"
BAD_ITER = f"Iteration number should not exceed {MAX_LONG}"
NOT_AN_OBJECT = "Event must be a JSON object"
BAD_TIMESTAMP = "Timestamp must be a number of milliseconds"  # finite, within 64 bits
TOO_LONG = "Event field too long"
LONG = MAX_KEY_CHARS  # a metric and variant longer together take the checked path
MAX_VECTOR = MAX_TEXT_CHARS // 8  # values of one vector event (8 bytes each)
Number = (int, float)


class Invalid(Exception):  # noqa: N818 - an invalid event, counted, never raised to the caller
    pass


@dataclass
class _TaskBatch:
    task: str
    series: dict[tuple[str, str], int] = field(default_factory=dict)
    scalar_series: list[int] = field(default_factory=list)
    iters: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    timestamps: list[int] = field(default_factory=list)
    events: list[ReportedEvent] = field(default_factory=list)

    def record(self, received: int, worker: str | None) -> TaskEventsReported:
        return TaskEventsReported(
            task=self.task,
            received=received,
            worker=worker,
            series_metrics=tuple(m for m, _v in self.series),
            series_variants=tuple(v for _m, v in self.series),
            scalar_series=tuple(self.scalar_series),
            scalar_iters=tuple(self.iters),
            scalar_values=tuple(self.values),
            scalar_timestamps=tuple(self.timestamps),
            events=tuple(self.events),
        )


@dataclass
class Ingested:
    records: list[TaskEventsReported]
    added: int
    errors: Counter[str]
    models: frozenset[str] = frozenset()  # the record keys that are model ids

    def merged(self, other: Ingested, models: Collection[str]) -> Ingested:
        """This batch's task records with another's model records."""
        return Ingested(
            self.records + other.records,
            self.added + other.added,
            self.errors + other.errors,
            frozenset(models) | self.models,
        )


def split_model_events(events: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """(model events, the rest): `model_event: true` makes `task` a model id."""
    models: list[Any] = []
    rest: list[Any] = []
    for event in events:
        is_model = isinstance(event, dict) and event.get("model_event") is True
        (models if is_model else rest).append(event)
    return models, rest


def tasks_of(events: Iterable[dict[str, Any]]) -> set[str]:
    return {t for e in events if isinstance(e, dict) and isinstance(t := e.get("task"), str)}


def ingest(
    events: Iterable[dict[str, Any]],
    valid_tasks: Collection[str],
    worker: str | None,
    now: int,
    new_id: Callable[[], str],
) -> Ingested:
    """Validate events against the tasks that accept telemetry; group the good ones by task."""
    batches: dict[str, _TaskBatch] = {}
    errors: Counter[str] = Counter()
    added = 0
    for event in events:
        try:
            task = _task(event, valid_tasks)
            batch = batches.get(task) or batches.setdefault(task, _TaskBatch(task))
            if event.get("type") == SCALAR:
                _scalar(batch, event, now)
            else:
                batch.events.append(_other(event, task, worker, now, new_id))
        except Invalid as reason:
            errors[str(reason)] += 1
        else:
            added += 1
    records = [b.record(now, worker) for b in batches.values() if b.iters or b.events]
    return Ingested(records, added, errors)


def _task(event: Any, valid_tasks: Collection[str]) -> str:
    if not isinstance(event, dict):
        raise Invalid(NOT_AN_OBJECT)
    kind = event.get("type")
    if kind is None:
        raise Invalid(NO_TYPE)
    if kind != SCALAR and (not isinstance(kind, str) or _kind(kind) not in EVENT_TYPES):
        raise Invalid(f"Invalid event type {kind}")
    task = event.get("task")
    if task is None:
        raise Invalid(NO_TASK)
    if not isinstance(task, str) or task not in valid_tasks:
        raise Invalid(BAD_TASK)
    return str(task)


def _kind(kind: str) -> str:
    return kind.replace(" ", "_")


def _scalar(batch: _TaskBatch, event: dict[str, Any], now: int) -> None:
    """One scalar point. Exact types are tested first: the common case takes no slow path,
    anything else gets the general checks (and the same errors)."""
    get = event.get
    value = get("value")
    if value is None:
        value = get("values")
    value = _number(value)
    metric, variant = get("metric"), get("variant")
    if type(metric) is not str or type(variant) is not str or len(metric) + len(variant) > LONG:
        metric, variant = _name(metric), _name(variant)
    series = (metric, variant)
    index = batch.series.get(series)
    if index is None:
        index = batch.series[series] = len(batch.series)
    iteration = get("iter")
    if type(iteration) is not int or not MIN_LONG <= iteration <= MAX_LONG:
        iteration = _iter(event)
    stamp = get("timestamp")
    if type(stamp) is not int or not MIN_LONG <= stamp <= MAX_LONG:
        stamp = _timestamp(event, now)
    batch.scalar_series.append(index)
    batch.iters.append(0 if iteration is None else iteration)
    batch.values.append(value)
    batch.timestamps.append(stamp)


def _number(value: Any) -> float:
    if type(value) is float:
        return value
    if type(value) is int or (isinstance(value, Number) and not isinstance(value, bool)):
        return float(value)
    raise Invalid("Scalar value must be a number")


def _other(
    event: dict[str, Any], task: str, worker: str | None, now: int, new_id: Callable[[], str]
) -> ReportedEvent:
    kind = _kind(event["type"])
    iteration = _iter(event)
    metric, variant = _name(event.get("metric")), _name(event.get("variant"))
    key = event.get("key")
    common: dict[str, Any] = {
        "type": kind,
        "timestamp": _timestamp(event, now),
        "iter": iteration,
        "metric": metric,
        "variant": variant,
        "worker": _text(event.get("worker")) or worker,
        "extra": _extra(event),
    }
    if kind == LOG:
        level, msg = _text(event.get("level")), _text(event.get("msg"), MAX_TEXT_CHARS)
        return ReportedEvent(id=new_id(), level=level, msg=msg, **common)
    ident = event_id(task, iteration, metric, variant, None if key is None else str(key))
    if kind == PLOT:
        return ReportedEvent(id=ident, **common, **_plot(event.get("plot_str")))
    values = event.get("values", event.get("value"))
    url = _text(event.get("url"), MAX_TEXT_CHARS)
    return ReportedEvent(id=ident, values=_vector(values), url=url, key=_text(key), **common)


def event_id(task: str, iteration: int | None, metric: str, variant: str, key: str | None) -> str:
    """ClearML's id of a non-log event: a re-sent event replaces instead of duplicating."""
    parts = [task, *(() if iteration is None else (str(iteration),)), metric, variant]
    if key is not None:
        parts.append(key)
    return hashlib.md5("-".join(parts).encode()).hexdigest()


def _iter(event: dict[str, Any]) -> int | None:
    raw = event.get("iter")
    if raw is None:
        return None
    try:
        iteration = int(raw)
    except (TypeError, ValueError, OverflowError):
        raise Invalid("Iteration must be an integer") from None
    if not MIN_LONG <= iteration <= MAX_LONG:
        raise Invalid(BAD_ITER)
    return iteration


def _timestamp(event: dict[str, Any], now: int) -> int:
    raw = event.get("timestamp", event.get("ts"))
    if raw is None:
        return now
    if not isinstance(raw, Number) or isinstance(raw, bool) or not MIN_LONG <= raw <= MAX_LONG:
        raise Invalid(BAD_TIMESTAMP)  # NaN compares false, so it lands here too
    return int(raw)


def _name(raw: Any, limit: int = MAX_KEY_CHARS) -> str:
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    if len(text) > limit:
        raise Invalid(TOO_LONG)
    return text


def _text(raw: Any, limit: int = MAX_KEY_CHARS) -> str | None:
    return None if raw is None else _name(raw, limit)


def _vector(raw: Any) -> tuple[float, ...]:
    if raw is None:
        return ()
    if isinstance(raw, list) and len(raw) > MAX_VECTOR:
        raise Invalid(TOO_LONG)
    if not isinstance(raw, list) or not all(
        isinstance(v, Number) and not isinstance(v, bool) for v in raw
    ):
        raise Invalid("Vector values must be a list of numbers")
    return tuple(float(v) for v in raw)


def _plot(raw: Any) -> dict[str, Any]:
    if raw is None or raw == "":
        return {"plot_len": 0}
    text = raw if isinstance(raw, str) else orjson.dumps(raw).decode()
    if len(text) >= PLOT_COMPRESSION_THRESHOLD:
        data = zlib.compress(text.encode(), 1)
        if len(data) > MAX_TEXT_CHARS:  # what a Cassandra cell takes: compressed size counts
            raise Invalid(TOO_LONG)
        return {"plot_len": len(text), "plot_data": data}
    return {"plot_len": len(text), "plot_str": text}


def _extra(event: dict[str, Any]) -> str | None:
    extra = {k: v for k, v in event.items() if k not in KNOWN}
    if not extra:
        return None
    text = orjson.dumps(extra).decode()
    if len(text) > MAX_TEXT_CHARS:
        raise Invalid(TOO_LONG)
    return text
