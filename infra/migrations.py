"""Versioned CQL migrations (infra/cql/NNNN_name.cql), applied once each, in order, per keyspace.

Ranges: 0001-0099 foundation, 0100-0199 control plane, 0200-0299 telemetry, 0300-0399 KFP,
0400-0499 log operations. A file holds statements ending with ';' at the end of a line, may use
the {keyspace} placeholder, and should be idempotent (IF NOT EXISTS): a migration that fails
half-way is re-run from its first statement. Editing an applied file is an error; add a new one.

A migration that recreates tables holding a read model names it on a `-- rebuild: a, b` line;
given a Rebuilder, `apply` checks it may rebuild before running the statements and replays those
read models from the log before recording the migration (so a failed rebuild runs again).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from config.settings import Settings
from infra import cassandra_node
from infra.errors import InfraError

if TYPE_CHECKING:
    from cassandra.cluster import Session

CQL_DIR = Path(__file__).resolve().parent / "cql"
_FILE = re.compile(r"^(\d{4})_(\w+)\.cql$")
_END = re.compile(r";[ \t]*$", re.MULTILINE)
_REBUILD = re.compile(r"^--\s*rebuild:(.*)$", re.MULTILINE)
Say = Callable[[str], None]


class Rebuilder(Protocol):
    def check(self, keyspace: str, models: tuple[str, ...]) -> None:
        """Raise (InfraError) when the models cannot be rebuilt now, e.g. a worker writes them."""

    def rebuild(self, keyspace: str, models: tuple[str, ...]) -> None:
        """Replay the models from the log into the keyspace's (recreated) tables."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    text: str

    @property
    def rebuilds(self) -> tuple[str, ...]:
        """Read models its `-- rebuild:` lines name: their tables are recreated empty."""
        names = ",".join(_REBUILD.findall(self.text)).split(",")
        return tuple(name.strip() for name in names if name.strip())

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def statements(self, keyspace: str) -> list[str]:
        # str.replace, not format: CQL map literals use braces too
        body = "\n".join(ln for ln in self.text.splitlines() if not ln.lstrip().startswith("--"))
        parts = _END.split(body.replace("{keyspace}", keyspace))
        return [p.strip() for p in parts if p.strip()]


def discover(cql_dir: Path = CQL_DIR) -> list[Migration]:
    """All migration files, ordered by version; duplicate versions are an error."""
    found: dict[int, Migration] = {}
    for path in sorted(cql_dir.glob("*.cql")):
        match = _FILE.match(path.name)
        if not match:
            raise InfraError(f"{path.name}: migration files are named NNNN_name.cql")
        version = int(match[1])
        if version in found:
            raise InfraError(f"two migrations with version {version}: {path.name}")
        found[version] = Migration(version, match[2], path.read_text().replace("\r\n", "\n"))
    return [found[v] for v in sorted(found)]


def apply(
    settings: Settings,
    cql_dir: Path = CQL_DIR,
    say: Say = print,
    rebuilder: Rebuilder | None = None,
) -> list[int]:
    """Create the keyspace, then apply the pending migrations; returns the versions applied.
    Without a rebuilder, tables a migration recreates stay empty (a new keyspace's are)."""
    cluster, session = cassandra_node.connect(settings, timeout_s=30.0)
    try:
        return apply_with(session, settings, discover(cql_dir), say, rebuilder)
    finally:
        cluster.shutdown()


def apply_with(
    session: Session,
    settings: Settings,
    todo: list[Migration],
    say: Say,
    rebuilder: Rebuilder | None = None,
) -> list[int]:
    ks = settings.keyspace
    rf = settings.cassandra_replication
    _ddl(
        session,
        f"CREATE KEYSPACE IF NOT EXISTS {ks} WITH replication = "
        f"{{'class': 'SimpleStrategy', 'replication_factor': {rf}}}",
    )
    done = _applied(session, ks)
    pending = [m for m in todo if m.version not in done]
    for migration in todo:
        if migration.version in done:
            _verify(migration, done[migration.version])
    if not done:  # a new keyspace: empty tables, and a starting worker writes every row
        rebuilder = None
    rebuilt = tuple(dict.fromkeys(name for m in pending for name in m.rebuilds))
    if rebuilder is not None and rebuilt:
        rebuilder.check(ks, rebuilt)
    for migration in pending:
        for statement in migration.statements(ks):
            _ddl(session, statement)
    # rebuilt once every pending migration's DDL ran: today's code writes today's columns, which
    # a later migration may add to a table an earlier one recreates (0545 after 0206). Recorded
    # only after, so an interrupted upgrade runs (idempotent DDL) and rebuilds again.
    if rebuilder is not None and rebuilt:
        say(f"migrations: rebuilding {', '.join(rebuilt)} in {ks} from the log")
        rebuilder.rebuild(ks, rebuilt)
    for migration in pending:
        _record(session, ks, migration)
        say(f"migration {migration.version:04d}_{migration.name}: applied to {ks}")
    return [migration.version for migration in pending]


def _applied(session: Session, ks: str) -> dict[int, str]:
    """version -> checksum of what the keyspace already has; empty before 0001 ran."""
    exists = session.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = %s AND table_name = %s",
        (ks, "schema_migrations"),
    ).one()
    if exists is None:
        return {}
    rows = session.execute(f"SELECT version, checksum FROM {ks}.schema_migrations")
    return {row.version: row.checksum for row in rows}


def _verify(migration: Migration, recorded: str) -> None:
    if recorded != migration.checksum:
        raise InfraError(
            f"migration {migration.version:04d}_{migration.name} changed after it "
            "was applied (checksum differs); put the change in a new migration"
        )


def _record(session: Session, ks: str, migration: Migration) -> None:
    session.execute(
        f"INSERT INTO {ks}.schema_migrations (version, name, checksum, applied_at) "
        "VALUES (%s, %s, %s, %s)",
        (migration.version, migration.name, migration.checksum, datetime.now(UTC)),
    )


def _ddl(session: Session, statement: str) -> None:
    """Run a schema change and wait until every node agrees, so the next statement sees it."""
    session.execute(statement, timeout=60.0)
    if not session.cluster.control_connection.wait_for_schema_agreement(wait_time=60):
        raise InfraError(f"no schema agreement after: {statement[:80]}")
