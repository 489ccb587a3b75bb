"""Row mutations as CQL: the one place that turns projections' plain data into statements."""

from __future__ import annotations

from typing import Any

from projections.mutations import Delete, MapPut, Mutation, Upsert


def statement(mutation: Mutation, timestamp: int | None = None) -> tuple[str, list[Any]]:
    """The CQL and bound values of one mutation."""
    using, params = _using(timestamp, getattr(mutation, "ttl", None))
    if isinstance(mutation, Upsert):
        columns = list(mutation.values)
        cql = f"INSERT INTO {mutation.table} ({', '.join(columns)}) VALUES ({_marks(columns)})"
        return cql + (f" USING {using}" if using else ""), [*mutation.values.values(), *params]
    if isinstance(mutation, Delete):
        if mutation.before and timestamp is not None:
            using, params = _using(timestamp - 1, None)
        cql = f"DELETE FROM {mutation.table}{f' USING {using}' if using else ''}"
        return f"{cql} WHERE {_where(mutation.key)}", [*params, *mutation.key.values()]
    return _map_put(mutation, using, params)


def _using(timestamp: int | None, ttl: int | None) -> tuple[str, list[Any]]:
    parts, params = [], []
    if timestamp is not None:
        parts.append("TIMESTAMP ?")
        params.append(timestamp)
    if ttl is not None:
        parts.append("TTL ?")
        params.append(ttl)
    return " AND ".join(parts), params


def _map_put(m: MapPut, using: str, params: list[Any]) -> tuple[str, list[Any]]:
    cql = f"UPDATE {m.table}{f' USING {using}' if using else ''} SET "
    if m.removed:
        cql += f"{m.column} = {m.column} - ?, "
        params = [*params, set(m.removed)]
    cql += f"{m.column} = {m.column} + ? WHERE {_where(m.key)}"
    return cql, [*params, m.entries, *m.key.values()]


def _marks(columns: list[str]) -> str:
    return ", ".join("?" for _ in columns)


def _where(key: dict[str, Any]) -> str:
    return " AND ".join(f"{column} = ?" for column in key)
