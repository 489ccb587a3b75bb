"""The endpoint registry: name -> implementations by minimum version, resolved per call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from api.call import Call

MAX_VERSION = "2.34"  # the highest version served; the SDK reads it from the login token
SERVER_VERSION = "2.3.0"  # the ClearML server release whose API this one speaks
Handler = Callable[[Call, Any], Awaitable[Any]]


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Endpoint:
    name: str
    handler: Handler
    min_version: str = "1.0"
    authorize: bool = True
    # without authorize: still try the caller's credentials, and keep the identity if they hold
    identify: bool = False


class Registry:
    def __init__(self, endpoints: list[Endpoint]) -> None:
        self._by_name: dict[str, list[Endpoint]] = {}
        for endpoint in endpoints:
            self._by_name.setdefault(endpoint.name, []).append(endpoint)
        for versions in self._by_name.values():
            versions.sort(key=lambda e: version_key(e.min_version), reverse=True)

    def resolve(self, name: str, version: str) -> Endpoint | None:
        """The newest implementation whose min_version is at most the requested version."""
        wanted = version_key(version)
        for endpoint in self._by_name.get(name, []):
            if version_key(endpoint.min_version) <= wanted:
                return endpoint
        return None

    def names(self) -> list[str]:
        return sorted(self._by_name)
