"""The handler wrapper every KFP route shares: authenticate, run, answer JSON or KFP's error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from api import auth
from api.call import Identity
from api.dispatch import SERVICES, in_time
from api.kfp.errors import GRPC_OF_HTTP, error_body, error_response, json_response
from api.services import Services
from commands.base import Command


@dataclass(frozen=True)
class Request:
    """What a KFP handler gets: the HTTP request, the caller and the process's services."""

    http: web.Request
    who: Identity
    svc: Services

    def param(self, name: str) -> str:
        return self.http.match_info[name]

    async def send(self, command: Command) -> dict[str, Any]:
        return await self.svc.bus.send(self.who, command)


Handler = Callable[[Request], Awaitable[Any]]


def route(
    handler: Handler, authorize: bool = True
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def serve(request: web.Request) -> web.StreamResponse:
        svc = request.app[SERVICES]
        try:
            await in_time(request.read(), svc.settings.body_timeout_s)  # read() keeps it
            who = await auth.authenticate(request, svc) if authorize else _nobody()
            body = await handler(Request(request, who, svc))
        except web.HTTPException as exc:  # aiohttp's own refusals, e.g. a body above the limit
            return json_response(
                error_body(GRPC_OF_HTTP.get(exc.status, 3), exc.reason, exc.reason, ""), exc.status
            )
        except Exception as exc:
            return error_response(exc, f"{request.method} {request.path}")
        return body if isinstance(body, web.StreamResponse) else json_response(body)

    return serve


def _nobody() -> Identity:
    return Identity(company="", user="")
