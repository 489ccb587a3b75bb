"""Cassandra 5.0 as CassandraDaemon from the cached jars: configs, command line, probe, sessions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from config.settings import Settings
from infra import clients, layout, topology
from infra.ports import accepting

if TYPE_CHECKING:
    from cassandra.cluster import Cluster, Session

NAME = "cassandra"
MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon"
START_TIMEOUT_S = 180.0
STOP_GRACE_S = 60.0
LOCAL_DC = "datacenter1"  # what SimpleSnitch reports


def host(settings: Settings) -> str:
    return settings.cassandra_host


def ports(settings: Settings) -> tuple[int, ...]:
    """Client (CQL) port first: it is the one probed and reported."""
    return (settings.cassandra_port, settings.cassandra_storage_port)


def command(settings: Settings, java: str, libs: Path) -> list[str]:
    """Render the configs and return the daemon's argv."""
    home = layout.home(settings, NAME)
    yaml, logback = _render(settings, home)
    jamm = next(libs.glob("jamm-*.jar"), None)
    if jamm is None:
        raise FileNotFoundError(f"no jamm jar in {libs}: delete {libs.parent} and fetch again")
    return [
        java,
        f"-Xms{settings.cassandra_heap}",
        f"-Xmx{settings.cassandra_heap}",
        "-Xss256k",
        # Cassandra's jvm17-server.options GC block
        "-XX:+UseG1GC",
        "-XX:+ParallelRefProcEnabled",
        "-XX:MaxTenuringThreshold=1",
        "-XX:MaxGCPauseMillis=300",
        "-XX:InitiatingHeapOccupancyPercent=70",
        "-XX:+ExitOnOutOfMemoryError",  # Cassandra warns that running on after an OOM risks data
        # jamm measures object sizes for memtable accounting: without the agent startup fails
        f"-javaagent:{jamm}",
        *_jvm17_options(),
        "-Djava.net.preferIPv4Stack=true",
        "-Dcassandra-foreground=yes",
        f"-Dcassandra.config=file://{yaml}",
        f"-Dcassandra.storagedir={home}",
        f"-Dcassandra.logdir={layout.log_dir(settings)}",
        f"-Dlogback.configurationFile={logback}",
        *_fast_start(settings),
        "-cp",
        f"{libs}/*",
        MAIN_CLASS,
    ]


def probe(settings: Settings, timeout_s: float) -> str | None:
    """A description of the Cassandra serving cassandra_port if it answers CQL, else None."""
    if not accepting(settings.cassandra_host, settings.cassandra_port):
        return None
    from cassandra import DriverException
    from cassandra.cluster import NoHostAvailable

    try:
        cluster, session = connect(settings, timeout_s=timeout_s)
    except (NoHostAvailable, DriverException, OSError):
        return None
    try:
        row = session.execute("SELECT release_version FROM system.local").one()
    except (NoHostAvailable, DriverException, OSError):
        return None
    finally:
        cluster.shutdown()
    return f"Cassandra {row.release_version}"


def connect(
    settings: Settings, keyspace: str | None = None, timeout_s: float = 10.0
) -> tuple[Cluster, Session]:
    """A driver session on the configured node; the caller shuts the cluster down."""
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import DCAwareRoundRobinPolicy

    profile = ExecutionProfile(
        load_balancing_policy=DCAwareRoundRobinPolicy(local_dc=LOCAL_DC), request_timeout=timeout_s
    )
    cluster = Cluster(
        settings.cassandra_contact_points,
        port=settings.cassandra_port,
        protocol_version=5,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        connect_timeout=timeout_s,
        control_connection_timeout=timeout_s,
        **clients.cassandra(settings),
    )
    try:
        return cluster, cluster.connect(keyspace)
    except BaseException:
        cluster.shutdown()
        raise


def advice(settings: Settings, logs: str) -> str:
    """What to do about a start-up failure these logs show, or "" when there is nothing known.

    The one known here: a node killed (machine crash, kill -9) shortly after a schema change can
    lose that change, since system tables are not fsynced (`_fast_start`), while its commit log
    still holds writes in the new schema; Cassandra then refuses to start. Read models are
    rebuilt from Kafka, the log, so the commit log can go."""
    if "error while processing commit log" not in logs:
        return ""
    commitlog = layout.home(settings, NAME) / "commitlog"
    return (
        "Cassandra cannot replay its commit log: it holds writes for a schema this node lost "
        "when it was killed (system tables are not fsynced on a local node). The read models "
        "are rebuilt from Kafka, so set the commit log aside and start again:\n"
        f"  mv {commitlog} {commitlog}.broken && taskstream infra start cassandra\n"
        "then `taskstream verify` reports any read model that lost writes, and `taskstream "
        "replay` rebuilds it."
    )


def _render(settings: Settings, home: Path) -> tuple[Path, Path]:
    values = {
        "host": settings.cassandra_host,
        "port": settings.cassandra_port,
        "storage_port": settings.cassandra_storage_port,
        "data_dir": home,
        "log_dir": layout.log_dir(settings),
        **topology.cassandra_values(settings),
    }
    yaml = layout.render("cassandra/cassandra.yaml", home / "conf" / "cassandra.yaml", values)
    logback = layout.render("cassandra/logback.xml", home / "conf" / "logback.xml", values)
    return yaml, logback


def _jvm17_options() -> list[str]:
    text = (layout.TEMPLATES / "cassandra" / "jvm17.options").read_text()
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _fast_start(settings: Settings) -> list[str]:
    """A single local node has no ring to join: skip the waits meant for real clusters."""
    flags = [
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",  # saves >= 5 s
        "-Dcassandra.ring_delay_ms=1000",  # default 30 s, what Cassandra's own tests use
    ]
    if not settings.cluster_node:
        # no fsync of system tables: schema changes (a keyspace per test session) are much
        # faster; a node killed right after one may lose it and then refuse its commit log
        # (`advice`). Not on the cluster's nodes: its fault tests kill -9 them on purpose.
        flags.append("-Dcassandra.unsafesystem=true")
    return flags
