"""Every table the migrations create belongs to exactly one read model (so replay rebuilds it
and verify compares it) or is bookkeeping; add a new table to its projection's `tables` or to
projections.control.TABLES."""

import re
from collections import Counter
from pathlib import Path

from streams.worker.read_models import AWAITING_WRITER, INFRASTRUCTURE, read_models, select

CQL = Path(__file__).resolve().parents[2] / "infra" / "cql"
TABLE_DDL = re.compile(r"(CREATE|DROP) TABLE IF (?:NOT )?EXISTS \{keyspace\}\.(\w+)", re.IGNORECASE)


def migrated_tables() -> set[str]:
    """Tables the migrations leave, applied in order (a migration may drop and recreate one)."""
    tables: set[str] = set()
    for path in sorted(CQL.glob("*.cql")):
        for verb, name in TABLE_DDL.findall(path.read_text()):
            (tables.add if verb.upper() == "CREATE" else tables.discard)(name)
    return tables


def test_every_table_has_exactly_one_owner():
    claims = Counter(t for m in read_models() for t in m.tables)
    claims.update(INFRASTRUCTURE)
    claims.update(AWAITING_WRITER)
    assert {t for t, n in claims.items() if n > 1} == set(), "a table with two owners"
    assert migrated_tables() - set(claims) == set(), "declare these tables in their read model"
    assert set(claims) - migrated_tables() == set(), "declared but never created"


def test_the_control_plane_and_the_history_are_read_models():
    names = [m.name for m in read_models()]
    assert names[0] == "control"
    assert "history" in names
    assert [m.name for m in select("control,history")] == ["control", "history"]
