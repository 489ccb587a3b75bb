"""Callers' regular expressions (name filters) run on RE2, whose matching time is linear in
the text: no pattern can stall the event loop the way backtracking can (`^(a+)+$`).

ClearML's filters are MongoDB (PCRE) expressions; RE2 accepts the same syntax except
lookaround, backreferences and a few flags. Those are refused with a 400 naming the pattern
rather than matched literally, so a caller never silently gets a different answer.
"""

from __future__ import annotations

import re

import re2  # type: ignore[import-untyped]

from commands.errors import InvalidRegex

MAX_PATTERN_CHARS = 4096  # the SDK sends ^re.escape(name)$; names are far shorter than this
MAX_PROGRAM_BYTES = 1 << 20  # RE2's compiled-program budget: refuses a{1000}{1000}-style bombs


class Pattern:
    """A compiled pattern searched anywhere in the text, as MongoDB's $regex does."""

    def __init__(self, expression: str) -> None:
        self.pattern = expression
        self._regex = re2.compile(_utf8(expression), _options())

    def search(self, text: str) -> bool:
        return self._regex.search(_utf8(text)) is not None


def compile_pattern(expression: str) -> Pattern:
    if len(expression) > MAX_PATTERN_CHARS:
        raise InvalidRegex(f"pattern longer than {MAX_PATTERN_CHARS} characters")
    try:
        return Pattern(expression)
    except re2.error as exc:
        raise InvalidRegex(_why(expression, exc), pattern=expression) from None


def _why(expression: str, exc: Exception) -> str:
    reason = exc.args[0].decode(errors="replace") if exc.args else str(exc)
    try:
        re.compile(expression)
    except re.error:
        return reason
    return f"pattern not supported (RE2 syntax: no lookaround or backreferences): {reason}"


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a caller's bad pattern is their 400, not our log line
    options.max_mem = MAX_PROGRAM_BYTES
    return options


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate cannot match, nor fail
