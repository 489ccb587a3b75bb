"""What queues.get_all / get_all_ex list: hidden system tags, capped entries, scroll paging."""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from commands import errors
from projections import listing

# ClearML's services.queues.hidden_tags: queues a k8s glue creates for itself
HIDDEN_TAGS = frozenset({"k8s-glue"})
DEFAULT_SCROLL_SIZE = 500


def visible(d: dict[str, Any], docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Queues with a hidden system tag are left out unless asked for by id, by name, or with
    search_hidden."""
    if fields.boolean(d, "search_hidden") or d.get("id") or d.get("name"):
        return docs
    return [q for q in docs if not HIDDEN_TAGS & set(q["system_tags"])]


def max_entries(d: dict[str, Any]) -> int | None:
    limit = fields.integer(d, "max_task_entries")
    if limit is not None and limit < 0:
        raise errors.ValidationError("field 'max_task_entries' must not be negative")
    return limit or None  # 0 means no cap, as in ClearML


def capped(doc: dict[str, Any], limit: int | None) -> dict[str, Any]:
    """The queue with only its first `limit` entries (all of them without a limit)."""
    if limit is None or len(doc.get("entries") or ()) <= limit:
        return doc
    return {**doc, "entries": doc["entries"][:limit]}


def scrolled(d: dict[str, Any], docs: list[dict]) -> tuple[list[dict], str | None]:
    """scroll_id/size paging (the scroll id is the position reached); refresh_scroll reads
    again from the start everything up to that position. Without them, page/page_size."""
    size = bounds.page_size(fields.integer(d, "size"), "size")
    if size is None and not d.get("scroll_id"):
        page_size = bounds.page_size(fields.integer(d, "page_size"))
        return listing.page(docs, fields.integer(d, "page"), page_size), None
    reached = _position(fields.string(d, "scroll_id"))
    size = size or DEFAULT_SCROLL_SIZE
    if fields.boolean(d, "refresh_scroll"):
        start, end = 0, max(reached, size)
    else:
        start, end = reached, reached + size
    return docs[start:end], str(min(end, len(docs)))


def _position(scroll_id: str | None) -> int:
    if not scroll_id:
        return 0
    if not scroll_id.isdigit() or len(scroll_id) > 9:
        raise errors.ValidationError("invalid scroll_id")
    return int(scroll_id)
