"""The one settings object: read from the environment (TS_*) and an optional TOML file, once."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
LOGIN_MODES = ("password", "simple")

# Request limits are not settings: they follow from the stores (Cassandra's key and mutation
# sizes, the column types) and are named and documented in commands/limits.py, which the
# request schemas (api/schemas/) and telemetry ingest (commands/telemetry/ingest.py) both apply.


@dataclass(frozen=True)
class Settings:
    # where local state lives (service data, logs, pid files, generated credentials)
    local_dir: Path = REPO_ROOT / ".local"
    cache_dir: Path = REPO_ROOT / ".cache"
    schema_dir: Path = REPO_ROOT / "avro"
    # Kafka
    kafka_host: str = "127.0.0.1"
    kafka_port: int = 9092
    # a cluster's brokers, "host:port,host:port" (empty: the one at kafka_host:kafka_port)
    kafka_hosts: str = ""
    kafka_controller_port: int = 9093
    kafka_heap: str = "768m"
    topic_prefix: str = "ts."
    control_partitions: int = 4  # ts.commands, ts.events and ts.replies share this count
    telemetry_partitions: int = 8  # ts.metrics and ts.worker-status
    replication_factor: int = 1
    # a real cluster's client security (docs/deploy.md): librdkafka properties merged into every
    # Kafka client's config, e.g. {"security.protocol" = "SASL_SSL", "sasl.mechanism" =
    # "SCRAM-SHA-512", "sasl.username" = "...", "sasl.password" = "...", "ssl.ca.location" =
    # "..."}; the aiokafka and faust clients take its security keys (infra/clients.py).
    # TS_KAFKA_CLIENT_CONFIG holds it as a JSON object.
    kafka_client_config: dict[str, Any] = field(default_factory=dict)
    # Cassandra
    cassandra_host: str = "127.0.0.1"
    cassandra_port: int = 9042
    # a cluster's contact points, "host,host" on cassandra_port (empty: cassandra_host), and
    # the consistency of every read and write (QUORUM of the replicas of the local data center)
    cassandra_hosts: str = ""
    cassandra_consistency: str = "LOCAL_QUORUM"
    cassandra_local_dc: str = "datacenter1"  # the data center whose replicas LOCAL_* means
    # a real cluster's auth and TLS: PasswordAuthenticator credentials (empty: none), and a CA
    # file that turns TLS on (with a client certificate and key for mutual TLS)
    cassandra_username: str = ""
    cassandra_password: str = ""
    cassandra_ssl_ca: str = ""
    cassandra_ssl_cert: str = ""
    cassandra_ssl_key: str = ""
    cassandra_storage_port: int = 7000
    cassandra_heap: str = "1536m"
    # 1..3: these settings are node N of the local three-node cluster (infra/topology.py)
    cluster_node: int = 0
    keyspace: str = "taskstream"
    cassandra_replication: int = 1
    # processes
    api_host: str = "127.0.0.1"
    api_port: int = 8008
    worker_id: str = ""  # faust worker name suffix; empty means one default worker
    # how many API processes `taskstream up` starts on api_port (SO_REUSEPORT) and how many
    # worker processes share the partitions; 0: derived from the cores (see `processes`)
    api_processes: int = 0
    worker_processes: int = 0
    # a worker's /healthz, /readyz and /metrics (streams/probes.py), on api_host; 0: not served
    worker_ops_port: int = 8009
    command_timeout_s: float = 10.0
    # "text" (human lines) or "json": one JSON object per line with time, level, logger,
    # message, and the request id and company where known (streams/logs.py), for the API,
    # the worker and the file server
    log_format: str = "text"
    # read-your-writes of telemetry (docs/telemetry.md): events.add/add_batch answer once the
    # metrics projector applied the records, or after this many seconds all the same; 0 answers
    # on Kafka's ack alone (reads may then trail an answered append by the projector's lag)
    telemetry_readable_wait_s: float = 5.0
    # decider snapshots (streams/worker/snapshots.py), per partition: after this many events, or
    # long after a change. A restart folds at most this many events per partition it owns.
    snapshot_every_events: int = 10_000
    snapshot_every_s: float = 300.0
    # non-responsive task watchdog: in_progress tasks silent this long are stopped
    watchdog_timeout_s: int = 7200
    watchdog_interval_s: float = 900.0
    max_request_bytes: int = 15 * 1024 * 1024
    # the file server (api/files/): its port (ClearML's 8081), where the bytes go (empty: under
    # local_dir/files), and the largest upload it takes (413 beyond)
    files_port: int = 8081
    files_dir: str = ""
    max_upload_bytes: int = 10 * 1024**3
    # the ClearML web app (api/web/): its built bundle's directory (empty: not served) and port
    web_dir: str = ""
    web_port: int = 8080
    # how the web app logs in: "password" (a name and password, or a key and secret) or
    # "simple" (ClearML's default without fixed users: a name only, through the web server's
    # system key of the default company, which `taskstream web` creates and serves)
    login_mode: str = "password"
    # "local" (files_dir) or "s3": an S3-compatible bucket (endpoint empty: AWS itself)
    files_storage: str = "local"
    s3_bucket: str = ""
    s3_prefix: str = ""
    s3_endpoint: str = ""
    s3_region: str = "us-east-1"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    # a KFP artifact travels in one command and one event: stay below librdkafka's 1 MB default
    kfp_artifact_max_bytes: int = 512 * 1024
    # test-only fault injection: comma-separated failpoint names (see streams/worker/failpoints.py)
    failpoints: str = ""
    # auth
    token_secret: str = ""  # empty: generated once and kept under local_dir
    # default tenant created on a fresh install
    default_company: str = "d1bd92a3b039400cbafc60a7a5b1e52b"
    default_company_name: str = "clearml"
    # bounded work per request (issue 10, api/server.py and api/dispatch.py): a client must send
    # its request line and headers within header_timeout_s of connecting or of the previous
    # answer, and its whole body within body_timeout_s (15 MiB at 2 Mbit/s); else it is cut off.
    header_timeout_s: float = 30.0
    body_timeout_s: float = 60.0

    @property
    def max_message_bytes(self) -> int:
        """The largest Kafka record, broker and clients alike: a whole request plus room."""
        return self.max_request_bytes + 1024 * 1024

    @property
    def kafka_bootstrap(self) -> str:
        return self.kafka_hosts or f"{self.kafka_host}:{self.kafka_port}"

    @property
    def cassandra_contact_points(self) -> list[str]:
        return [h.strip() for h in self.cassandra_hosts.split(",") if h.strip()] or [
            self.cassandra_host
        ]

    @property
    def external_services(self) -> bool:
        """Kafka and Cassandra are a cluster's (`taskstream cluster` or a real one), not the
        single local nodes that `taskstream up` starts."""
        return bool(self.kafka_hosts or self.cassandra_hosts)

    def topic(self, name: str) -> str:
        """Full topic name for a logical name such as 'commands' or 'metrics'."""
        return f"{self.topic_prefix}{name}"

    @property
    def api_count(self) -> int:
        return self.api_processes or processes(os.cpu_count() or 1, self.external_services)

    @property
    def worker_count(self) -> int:
        return self.worker_processes or processes(os.cpu_count() or 1, self.external_services)

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"

    @property
    def files_url(self) -> str:
        return f"http://{self.api_host}:{self.files_port}"

    @property
    def simple_login(self) -> bool:
        return self.login_mode == "simple"

    @property
    def web_url(self) -> str:
        return f"http://{self.api_host}:{self.web_port}"

    @property
    def files_root(self) -> Path:
        return Path(self.files_dir) if self.files_dir else self.local_dir / "files"


def processes(cores: int, external_services: bool) -> int:
    """API (and worker) processes for this many cores: local Kafka and Cassandra each keep about
    one core busy under load (measured in bench/RESULTS.md), the rest is split between the API
    and the workers; so 1 each on 2 to 5 cores, 3 each on 8."""
    spare = cores if external_services else cores - 2
    return max(1, spare // 2)


def load(env: dict[str, str] | None = None) -> Settings:
    """Build settings: defaults, then the TOML file named by TS_SETTINGS_FILE, then TS_* vars."""
    env = dict(os.environ if env is None else env)
    values: dict[str, Any] = {}
    if path := env.get("TS_SETTINGS_FILE"):
        values.update(tomllib.loads(Path(path).read_text()))
    for each in fields(Settings):
        key = f"TS_{each.name.upper()}"
        if key in env:
            values[each.name] = env[key]
    return _coerce(Settings(), values)


def _coerce(base: Settings, values: dict[str, Any]) -> Settings:
    types = {f.name: type(getattr(base, f.name)) for f in fields(Settings)}
    unknown = set(values) - set(types)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    settings = replace(base, **{k: _typed(types[k], v) for k, v in values.items()})
    if settings.login_mode not in LOGIN_MODES:
        raise ValueError(f"login_mode must be one of {', '.join(LOGIN_MODES)}")
    return settings


def _typed(kind: type, value: Any) -> Any:
    """A value of the setting's type; a table from the environment is a JSON object."""
    if kind is dict and isinstance(value, str):
        value = json.loads(value)
    return kind(value)


def to_env(settings: Settings) -> dict[str, str]:
    """The TS_* variables that reproduce these settings in a child process."""
    return {f"TS_{f.name.upper()}": _text(getattr(settings, f.name)) for f in fields(Settings)}


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, dict) else str(value)
