"""The request schema of every ClearML endpoint, in one place: validation and OpenAPI.

Interface (kept stable; the fuzz suite builds requests from it):
`endpoint_names()`, `request_schema(name)` and `openapi()`. Schemas are JSON Schema dicts
using type, properties, required, items, maxLength, maxItems, minimum, maximum, enum,
additionalProperties (plus propertyNames and maxProperties for maps). A null field counts
as absent, as ClearML reads it; fields not named stay allowed.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from api.schemas import auth, events, models, projects, queues, task_actions, tasks, workers
from api.schemas.common import Schema

_MODULES = (auth, events, models, projects, queues, tasks, task_actions, workers)


@functools.cache
def _all() -> dict[str, Schema]:
    merged: dict[str, Schema] = {}
    for module in _MODULES:
        merged.update(module.SCHEMAS)
    return merged


def endpoint_names() -> list[str]:
    """Every ClearML endpoint that has a request schema."""
    return sorted(_all())


def request_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the request body of endpoint `name` (a copy; KeyError if unknown)."""
    return copy.deepcopy(_all()[name])


def checked(name: str) -> Schema | None:
    """The schema the dispatcher checks requests against (shared: not to be changed)."""
    return _all().get(name)


def openapi() -> dict[str, Any]:
    """An OpenAPI 3 description: POST /{service}.{action} with the request schema as body."""
    from api.schemas.document import document

    return document(_all())
