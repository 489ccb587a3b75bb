"""Bad input: values of the wrong type, size or range, deep nesting and bodies that are no object.

Sizes are chosen against the stores: 70,000 characters is above Cassandra's 64 KiB key limit,
1.1 M above the API's text limit; 2^31 and 2^63 are one past the int and bigint columns.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

EXTREME_INTS = (-1, -(2**31) - 1, 2**31, 2**32, 2**53 + 1, 2**63, -(2**63) - 1, 2**64, 10**40)
NASTY_TEXT = (
    "\ud800", "a\udfffb", "\x00", "\u202e", "", " ", "%s%n", "{0.__class__}", "{msg.__class__}",
    "../../etc/passwd", "' OR 1=1 --", "^(a+)+$", "(?", "*", "[", "\\", "null", "1e999",
)  # fmt: skip
HUGE_SIZES = (70_000, 70_000, 300_000, 1_100_000)


def deep(depth: int, leaf: Any = 1) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def huge_text() -> st.SearchStrategy[str]:
    return st.sampled_from(HUGE_SIZES).map(lambda n: "x" * n)


def bad_value() -> st.SearchStrategy[Any]:
    """One JSON value a handler should refuse or cope with, never crash on."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(EXTREME_INTS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=30),
        huge_text(),
        st.sampled_from((65, 300)).map(deep),
        st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=4),
        st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=3),
        st.just(["x"] * 10_001),
        st.just({f"k{i}": i for i in range(10_001)}),
    )


def not_an_object() -> st.SearchStrategy[bytes]:
    """Bodies that are not a JSON object, or not JSON at all."""
    documents = st.one_of(
        st.sampled_from([[], [{}], "x", 0, None, True, 2**64]).map(encode), bad_value().map(encode)
    )
    raw = st.sampled_from(
        [b"", b"{", b"{}}", b"\xff\xfe{}", b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1e99999}',
         b'{"a": "\\ud800"}', b'{"a":1,"a":2}', b"[" * 10_000 + b"]" * 10_000,
         b'{"a":' * 10_000 + b"1" + b"}" * 10_000]
    )  # fmt: skip
    return st.one_of(documents, raw)


def encode(document: Any) -> bytes:
    """JSON as a careless client writes it: NaN allowed, lone surrogates escaped as \\udXXX."""
    return json.dumps(document, allow_nan=True).encode()
