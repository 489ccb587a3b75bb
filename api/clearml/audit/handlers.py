"""audit.get_history and `<service>.get_history`: an aggregate's history for users of its company.

Rows are keyed by company first, so a caller only ever sees its own company's history (G8);
who the caller is comes from api.auth.authenticate, like every authorized endpoint.
"""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint, Handler
from api.services import Services
from projections.history import read as history


async def get_history(call: Call, svc: Services) -> dict[str, Any]:
    kind = fields.req_string(call.data, "type")
    return await _history(call, svc, kind, fields.req_string(call.data, "id"))


def history_of(kind: str) -> Handler:
    """A handler taking the aggregate id in the field named after its kind (`task`, `queue`)."""

    async def handler(call: Call, svc: Services) -> dict[str, Any]:
        return await _history(call, svc, kind, fields.req_string(call.data, kind))

    return handler


async def _history(call: Call, svc: Services, kind: str, ident: str) -> dict[str, Any]:
    entries = await history.entries(svc.store, call.who.company, kind, ident)
    return {"type": kind, "id": ident, "history": entries}


ENDPOINTS = [
    Endpoint("audit.get_history", get_history),
    Endpoint("tasks.get_history", history_of("task")),
    Endpoint("queues.get_history", history_of("queue")),
    Endpoint("workers.get_history", history_of("worker")),
    Endpoint("models.get_history", history_of("model")),
]
