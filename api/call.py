"""One ClearML API call: which endpoint and version, who calls, and the request data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Identity:
    company: str
    user: str
    role: str = "user"
    user_name: str = ""
    company_name: str = ""


@dataclass
class Call:
    id: str
    trx: str
    endpoint: str
    requested_version: str
    actual_version: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    batch: list[dict[str, Any]] | None = None  # json-lines bodies
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    identity: Identity | None = None
    request_id: str | None = None  # X-ClearML-Trx when the client sent one
    remote: str | None = None  # the peer address, for X-Real-IP-less worker ips
    cookies: dict[str, str | None] = field(default_factory=dict)  # to set; None clears one

    @property
    def who(self) -> Identity:
        if self.identity is None:
            raise RuntimeError(f"{self.endpoint} needs an authenticated identity")
        return self.identity

    def header(self, name: str) -> str | None:
        """A ClearML header by short name: `Worker` reads X-ClearML-Worker or X-Trains-Worker."""
        name = name.lower()
        return self.headers.get(f"x-clearml-{name}") or self.headers.get(f"x-trains-{name}")

    @property
    def real_ip(self) -> str | None:
        """The caller's address as a proxy reports it, else the peer's (ClearML's real_ip)."""
        forwarded = self.headers.get("x-forwarded-for", "").split(",")[0].strip()
        return self.headers.get("x-real-ip") or forwarded or self.remote


def header_text(value: str) -> str:
    """A header value as text: bytes that are not UTF-8 (aiohttp keeps them as lone
    surrogates) become U+FFFD, so a worker id, trx or key taken from a header can be stored."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
