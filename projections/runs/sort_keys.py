"""Sort keys of KFP runs: each sortable field encoded as text whose byte order is the order
KFP's MySQL gives (numbers zero-padded, text case-insensitive, doubles order-preserving)."""

from __future__ import annotations

import struct

# sort_by field -> attribute; `metric:<name>` is handled apart (see metric_field)
FIELDS = ("created_at", "name", "id", "description", "scheduled_at", "status", "storage_state")
NUMERIC = ("created_at", "scheduled_at")
MUTABLE = ("status", "storage_state")  # their order rows move when the value changes
METRIC = "metric:"
MAX_TEXT_KEY = 512  # clustering keys stay small; longer values tie and fall back to the id


def key(field: str, value: object) -> str:
    if field.startswith(METRIC):
        return number_key(float(value))  # type: ignore[arg-type]
    if field in NUMERIC:
        return f"{int(value):020d}"  # type: ignore[call-overload]
    text = str(value)
    return text if field in ("id", *MUTABLE) else text.casefold()[:MAX_TEXT_KEY]


def number_key(value: float) -> str:
    """16 hex digits whose string order is the numeric order of the double."""
    (bits,) = struct.unpack(">Q", struct.pack(">d", value))
    bits = bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | 1 << 63
    return f"{bits:016x}"


def metric_field(name: str) -> str:
    """KFP lower-cases the whole sort_by, and MySQL matches metric names case-insensitively."""
    return METRIC + name.casefold()
