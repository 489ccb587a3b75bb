"""Times on the command line: ISO-8601 (UTC unless it says otherwise), epoch seconds or
milliseconds, `now`, or relative to now (`-90s`, `-15m`, `-2h`, `-7d`)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

RELATIVE = re.compile(r"^-(\d+)([smhd])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MILLIS_FROM = 10**11  # a bigger epoch number is in milliseconds (seconds reach it in 5138)


def parse_time(text: str, now_ms: int | None = None) -> int:
    """Epoch milliseconds; ValueError with the accepted forms otherwise."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    text = text.strip()
    if text == "now":
        return now
    if match := RELATIVE.match(text):
        return now - int(match[1]) * UNITS[match[2]] * 1000
    if text.isdigit():
        number = int(text)
        return number if number >= MILLIS_FROM else number * 1000
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"cannot read time {text!r}: use ISO-8601, epoch seconds or ms, now, or -15m/-2h/-7d"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
