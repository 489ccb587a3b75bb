"""Client options for a real cluster, for every Kafka and Cassandra client alike.

Kafka: `kafka_client_config` holds librdkafka properties; the confluent-kafka clients take them
as they are (`confluent`), the aiokafka clients their security part translated (`aiokafka`):
TLS files into an SSL context, SASL's mechanism and user. Cassandra: a password
authenticator and TLS from the cassandra_* settings (`cassandra`).
"""

from __future__ import annotations

import ssl
from typing import Any

from config.settings import Settings

# librdkafka property -> aiokafka argument; the TLS files become one ssl_context
_AIOKAFKA = {
    "security.protocol": "security_protocol",
    "sasl.mechanism": "sasl_mechanism",
    "sasl.mechanisms": "sasl_mechanism",  # librdkafka's older spelling
    "sasl.username": "sasl_plain_username",
    "sasl.password": "sasl_plain_password",
}
_TLS_FILES = {
    "ssl.ca.location": "cafile",
    "ssl.certificate.location": "certfile",
    "ssl.key.location": "keyfile",
    "ssl.key.password": "password",
}


def confluent(settings: Settings, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """A confluent-kafka client's config: the bootstrap servers, `config`, the pass-through."""
    ours = {"bootstrap.servers": settings.kafka_bootstrap, **(config or {})}
    return ours | settings.kafka_client_config


def aiokafka(settings: Settings) -> dict[str, Any]:
    """An aiokafka client's keyword arguments: the bootstrap servers and the security part of
    the pass-through (librdkafka's tuning properties have no aiokafka equal and are left)."""
    passed = settings.kafka_client_config
    options: dict[str, Any] = {"bootstrap_servers": settings.kafka_bootstrap}
    options |= {arg: str(passed[key]) for key, arg in _AIOKAFKA.items() if key in passed}
    if files := {arg: str(passed[key]) for key, arg in _TLS_FILES.items() if key in passed}:
        options["ssl_context"] = _tls(files)
    elif str(passed.get("security.protocol", "")).upper() in ("SSL", "SASL_SSL"):
        options["ssl_context"] = _tls({})  # the system's CAs
    return options


def cassandra(settings: Settings) -> dict[str, Any]:
    """The Cassandra driver's Cluster arguments for auth and TLS (none when not set)."""
    options: dict[str, Any] = {}
    if settings.cassandra_username:
        from cassandra.auth import PlainTextAuthProvider

        options["auth_provider"] = PlainTextAuthProvider(
            settings.cassandra_username, settings.cassandra_password
        )
    if settings.cassandra_ssl_ca:
        files = {"cafile": settings.cassandra_ssl_ca}
        if settings.cassandra_ssl_cert:
            files |= {
                "certfile": settings.cassandra_ssl_cert,
                "keyfile": settings.cassandra_ssl_key,
            }
        options["ssl_context"] = _tls(files)
    return options


def _tls(files: dict[str, str]) -> ssl.SSLContext:
    """A client TLS context that checks the server's certificate and name."""
    context = ssl.create_default_context(cafile=files.get("cafile"))
    if "certfile" in files:
        context.load_cert_chain(files["certfile"], files.get("keyfile"), files.get("password"))
    return context
