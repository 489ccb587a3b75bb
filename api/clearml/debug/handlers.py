"""debug.ping: unauthenticated liveness answer, echoing the request as ClearML does."""

from __future__ import annotations

from typing import Any

from api.call import Call
from api.endpoints import Endpoint
from api.services import Services


async def ping(call: Call, _svc: Services) -> dict[str, Any]:
    return {"msg": "ClearML server", **call.data}


ENDPOINTS = [Endpoint("debug.ping", ping, authorize=False)]
