"""get_all paging by scroll, as tasks and projects serve it: ClearML keeps the position a
scroll id names in Redis; ours is the position itself, so any API instance can continue it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api import bounds, fields

DEFAULT_SIZE = 500  # ClearML asks for `size` with a scroll; the SDK's page size stands in


@dataclass(frozen=True)
class Window:
    start: int  # the first row of this call
    end: int  # one past the last row it may return
    reached: str | None  # on refresh_scroll, the id to hand back unchanged


def window(data: dict[str, Any]) -> Window | None:
    """The rows a scrolled call wants (None: not scrolled). The key `scroll_id` turns scrolling
    on even when null; a refresh re-reads from 0 up to the position reached (at least `size`
    rows) and keeps the id, as the web app expects."""
    if "scroll_id" not in data:
        return None
    scroll = fields.string(data, "scroll_id") or ""
    reached = int(scroll) if scroll.isdigit() and len(scroll) < 10 else 0
    size = bounds.page_size(fields.integer(data, "size"), "size") or DEFAULT_SIZE
    if fields.boolean(data, "refresh_scroll"):
        return Window(0, max(reached, size), scroll if reached else None)
    return Window(reached, reached + size, None)


def scroll_id(shown: Window, returned: int) -> str:
    return shown.reached or str(shown.start + returned)


def page(data: dict[str, Any], docs: list[Any]) -> list[Any]:
    """The rows of a scrolled call out of every row, in order."""
    shown = window(data)
    return docs if shown is None else docs[shown.start : shown.end]


def reply(data: dict[str, Any], returned: list[Any]) -> dict[str, str]:
    """The reply's scroll_id for a scrolled call (nothing otherwise)."""
    shown = window(data)
    return {} if shown is None else {"scroll_id": scroll_id(shown, len(returned))}
