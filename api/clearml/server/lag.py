"""server.lag: each projector's lag per partition (records and seconds), see streams/ops/lag.py."""

from __future__ import annotations

from typing import Any

from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from streams.ops import lag


async def get_lag(call: Call, svc: Services) -> dict[str, Any]:
    lags = await lag.measure(svc.settings, svc.store)
    return {
        "partitions": [entry.as_dict() for entry in lags],
        "max_records": max((entry.records for entry in lags), default=0),
        "max_seconds": max((entry.seconds for entry in lags), default=0.0),
    }


ENDPOINTS = [Endpoint("server.lag", get_lag)]
