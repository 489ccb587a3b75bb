"""`taskstream audit` and `taskstream state`: an aggregate's history from the aggregate_history
read model, and the aggregate as it was at a moment, folded from the log."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from projections.history import read as history
from projections.timefmt import iso
from streams.worker import snapshots
from streams.worker.partition_state import PartitionState, fold_log
from streams.worker.runtime import Runtime


class NotFound(Exception):  # noqa: N818 - reads as the condition it reports
    pass


async def entries(runtime: Runtime, company: str, kind: str, ident: str) -> list[dict[str, Any]]:
    """The aggregate's history, oldest first, from the keyspace the API reads."""
    return await history.entries(runtime.store, company, kind, ident)


def render(entry: dict[str, Any]) -> list[str]:
    """An entry as text: what happened, who, through which request and command; then fields."""
    cause = f"command {entry['command'] or '?'} ({entry['command_id'] or 'no id'})"
    request = f"request {entry['request_id']}" if entry["request_id"] else "no request id"
    where = f"@{entry['position']['partition']}:{entry['position']['offset']}"
    head = f"{entry['time']}  {entry['event']:<22} by {entry['user']}  {cause}  {request}  {where}"
    fields = ", ".join(f"{k}={json.dumps(v)}" for k, v in entry["fields"].items())
    return [head, f"    {fields}"]


async def state_at(
    runtime: Runtime, company: str, kind: str, ident: str, at_ms: int
) -> dict[str, Any]:
    """The aggregate as the decider's state and the control projection's view held it at
    `at_ms`: the events of its company's partition that occurred up to then, folded (from the
    newest snapshot before it)."""
    found_in = await history.entries(runtime.store, company, kind, ident)
    if not found_in:
        raise NotFound(f"no {kind} {ident} in company {company}")
    partition = found_in[0]["position"]["partition"]
    control = runtime.settings.keyspace
    found = await snapshots.restore(runtime.store, control, partition, not_after_ms=at_ms)
    state = PartitionState.from_snapshot(found) if found else PartitionState()
    await fold_log(runtime, state, partition, at_ms)
    record = find(state.companies.get(company), kind, ident)
    line = find(state.projection.views.get(company), kind, ident)  # what only rows need
    return {
        "at": iso(at_ms),
        "folded_to": {
            "partition": partition,
            "offset": state.folded,
            "occurred_at": iso(state.last_at) if state.last_at else None,
        },
        kind: _merged(line, record),
    }


def _merged(line: Any, record: Any) -> dict[str, Any] | None:
    if record is None:
        return None
    return {**(dataclasses.asdict(line) if line is not None else {}), **dataclasses.asdict(record)}


def find(state: Any, kind: str, ident: str, depth: int = 2) -> Any:
    """The aggregate record `ident` of type `kind` in a company state: in a dict field named
    after the kind (`queues`) or holding records of a class named after it, looking inside
    nested records too (`runs.runs`)."""
    if state is None or depth == 0 or not dataclasses.is_dataclass(state):
        return None
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        if isinstance(value, dict) and ident in value and dataclasses.is_dataclass(value[ident]):
            if kind in field.name or kind in type(value[ident]).__name__.lower():
                return value[ident]
        elif dataclasses.is_dataclass(value) and (found := find(value, kind, ident, depth - 1)):
            return found
    return None
