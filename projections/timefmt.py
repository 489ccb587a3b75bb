"""Time formatting shared by read models: stored times to ClearML's ISO-8601 strings."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(value: int | datetime | None) -> str | None:
    """ISO-8601 with +00:00, as the ClearML server writes datetimes. Accepts epoch milliseconds
    or the naive-UTC datetime the Cassandra driver returns for timestamp columns."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        moment = datetime.fromtimestamp(value / 1000, UTC)
    return moment.isoformat(timespec="milliseconds")


def millis(value: int | datetime | None) -> int | None:
    """Epoch milliseconds from either stored form."""
    if value is None or isinstance(value, int):
        return value
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
