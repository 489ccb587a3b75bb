"""events.download_task_log's `line_format`: a str.format-like template limited to the log
fields by plain name, so a template can neither reach attributes (`{msg.__class__}`) nor pad a
small request into a huge answer (`{msg:>99999999}`)."""

from __future__ import annotations

import re
from string import Formatter
from typing import Any

from commands import errors

FIELDS = frozenset(("asctime", "timestamp", "level", "worker", "msg"))
DEFAULT = "{asctime} {worker} {level} {msg}"
MAX_TEMPLATE_CHARS = 1024  # far above any useful line layout
# Fill, alignment, a width and a precision of at most two digits: enough to line up columns.
SPEC = re.compile(r"(?:.?[<>^])?\d{0,2}(?:\.\d{1,2})?")
CONVERSIONS = (None, "s", "r")

Part = tuple[str, str | None, str, str | None]  # literal, field, spec, conversion


def compile_format(template: str) -> list[Part]:
    if len(template) > MAX_TEMPLATE_CHARS:
        raise errors.FieldsValueError(f"line format longer than {MAX_TEMPLATE_CHARS} characters")
    try:
        parts = [(lit, name, spec or "", conv) for lit, name, spec, conv in _parse(template)]
    except ValueError as exc:
        raise errors.FieldsValueError("invalid line format", error=str(exc)) from None
    for _lit, name, spec, conv in parts:
        if name is not None and name not in FIELDS:
            raise errors.FieldsValueError(
                "undefined placeholders in line format", placeholders=[name]
            )
        if name is not None and (not SPEC.fullmatch(spec) or conv not in CONVERSIONS):
            raise errors.FieldsValueError("unsupported format spec in line format", spec=spec)
    return [*parts, ("\n", None, "", None)]


def _parse(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(Formatter().parse(template.rstrip("\n")))


def render(event: dict[str, Any], parts: list[Part]) -> str:
    """One line of the text download; asctime is the event's timestamp."""
    values = {"asctime": event.get("timestamp"), **event}
    out = []
    for literal, name, spec, conv in parts:
        out.append(literal)
        if name is not None:
            value = values.get(name, "")
            text = repr(value) if conv == "r" else str(value)
            out.append(format(text, spec))
    return "".join(out)
