"""Given events, then control-plane rows: the control projection fed as the decider feeds it."""

from __future__ import annotations

from typing import Any

from projections.control import ControlProjection
from projections.mutations import Mutation
from tests.unit.deciding import COMPANY


def projected(*events: Any) -> ControlProjection:
    projection = ControlProjection()
    for event in events:
        projection.rows(COMPANY, event)
    return projection


def rows_after(given: tuple[Any, ...] | list[Any], event: Any) -> list[Mutation]:
    """The rows of `event` once the `given` events were projected (no decider state needed)."""
    return projected(*given).rows(COMPANY, event)
