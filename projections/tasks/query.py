"""tasks.get_all as data: the filters of a request, how a document matches them, and which
read plan serves it (by ids, an ordered index scan, or a full scan sorted in the API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from projections import listing
from projections.conditions import Condition
from projections.safe_regex import Pattern

# The fields tasks.get_all filters on, by kind (ClearML's Task.get_all_query_options; the
# datetime fields also take the date ranges ClearML takes on created and started).
LIST_FIELDS = ("id", "user", "type", "status", "project", "parent", "tags", "system_tags")
LIST_PATHS = ("execution.queue", "models.input.model")
LIST_PREFIXES = ("hyperparams.",)
DATE_FIELDS = (
    "status_changed", "last_update", "last_change", "created", "started", "completed", "published"
)  # fmt: skip
RANGE_FIELDS = ("active_duration", "last_iteration")
RANGE_PREFIXES = ("last_metrics.",)
PATTERN_FIELDS = ("name", "comment")
EQUAL_PREFIXES = ("runtime.",)
INDEXED = ("created", "last_update")
HIDDEN = "hidden"
TEXT_FIELDS = ("name", "id", "comment", "script.repository", "script.entry_point")
# Index scans one tasks.get_all may merge, one per (status, project): the web app's six
# statuses by a dozen projects fit; a longer list is matched in memory instead.
MAX_INDEX_SCANS = 100
OPERATORS = ("__$not", "__$all", "__$and", "__$any", "__$or", "__$nop", "null")


@dataclass
class TaskQuery:
    lists: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    matchers: dict[str, Callable[[list[Any]], bool]] = field(default_factory=dict)
    patterns: dict[str, Pattern] = field(default_factory=dict)
    conditions: list[Condition] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)  # what the conditions read (for only_fields)
    search_text: str | None = None
    search_hidden: bool = False
    order_by: tuple[str, ...] = ()
    page: int | None = None
    page_size: int | None = None
    only_fields: list[str] | None = None

    @property
    def ids(self) -> tuple[str, ...] | None:
        ids = self.lists.get("id")
        return None if ids is None else tuple(i for i in ids if i is not None)

    def matches(self, doc: dict[str, Any]) -> bool:
        if not self.search_hidden and not self.ids and HIDDEN in doc.get("system_tags", ()):
            return False
        for name, match in self.matchers.items():
            if not match(values(doc, name)):
                return False
        for name, regex in self.patterns.items():
            if not regex.search(str(doc.get(name) or "")):
                return False
        if self.search_text and not _contains_text(doc, self.search_text):
            return False
        return all(condition(doc) for condition in self.conditions)

    def pushed(self, name: str) -> tuple[str, ...]:
        """Plain values of a list filter the index can apply (empty when it has operators)."""
        terms = self.lists.get(name, ())
        if any(t is None or t in OPERATORS or t.startswith("-") for t in terms):
            return ()
        return tuple(t for t in terms if t is not None)


def values(doc: dict[str, Any], path: str) -> list[Any]:
    """The values a list filter sees at a dotted path, through lists (models.input.model)."""
    if "." not in path:
        value = doc.get(path)
        return value if isinstance(value, list) else [] if value is None else [value]
    found: list[Any] = [doc]
    for part in path.split("."):
        found = [v.get(part) for v in _flat(found) if isinstance(v, dict)]
    return [v for v in _flat(found) if v is not None]


def _flat(items: list[Any]) -> list[Any]:
    return [x for item in items for x in (item if isinstance(item, list) else [item])]


def _contains_text(doc: dict[str, Any], text: str) -> bool:
    """search_text: a case-insensitive substring of the text fields (MongoDB's text index
    matches words; a substring match finds at least what it finds)."""
    needle = text.lower()
    return any(needle in str(listing.lookup(doc, path) or "").lower() for path in TEXT_FIELDS)


@dataclass(frozen=True)
class Plan:
    kind: str  # "ids", "index" or "scan"
    field: str = "created"
    descending: bool = True
    statuses: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()


def plan(query: TaskQuery) -> Plan:
    """Ordered by created or last_update (or unordered, read newest first): an index scan that
    stops once the page is full. Any other order: every candidate is read and sorted."""
    if query.ids:
        return Plan("ids")
    statuses, projects = _fitting(query.pushed("status"), query.pushed("project"))
    first = query.order_by[0] if query.order_by else "-created"
    key, descending = first.lstrip("-"), first.startswith("-")
    if key in INDEXED and (descending or not (statuses or projects)):
        return Plan("index", key, descending, statuses, projects)
    return Plan("scan", "created", True, statuses, projects)


def _fitting(
    statuses: tuple[str, ...], projects: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The filters to push into the index, at most MAX_INDEX_SCANS scans: past that the
    longer list (then both) is matched on the documents instead of scanned per value."""
    if max(len(statuses), 1) * max(len(projects), 1) <= MAX_INDEX_SCANS:
        return statuses, projects
    if len(statuses) <= len(projects) and len(statuses) <= MAX_INDEX_SCANS:
        return statuses, ()
    if len(projects) <= MAX_INDEX_SCANS:
        return (), projects
    return (), ()


def combos(plan: Plan) -> list[dict[str, str]]:
    """One equality filter per (status, project) pair the index scan must merge."""
    statuses = plan.statuses or (None,)
    projects = plan.projects or (None,)
    out = []
    for status in statuses:
        for project in projects:
            out.append({k: v for k, v in (("status", status), ("project", project)) if v})
    return out
