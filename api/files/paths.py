"""Where a requested path lands: relative, without `..`, under the caller's company prefix.

The company prefix is what keeps tenants apart: every key a request can reach starts with the
caller's company id, so another company's files are simply not there for it.
"""

from __future__ import annotations


def relative(raw: str) -> str | None:
    """The path without leading `/`, empty and `.` segments; None if it is empty or climbs."""
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if not parts or ".." in parts or "\x00" in raw:
        return None
    return "/".join(parts)


def key(company: str, path: str) -> str:
    return f"{company}/{path}"


def unkeyed(company: str, key_: str) -> str:
    return key_.removeprefix(f"{company}/")
