"""A real cluster's client settings reach every client (infra/clients.py): the Kafka
pass-through as is for confluent-kafka, its security part for aiokafka and faust, Cassandra's
auth and TLS; and the settings read them from a file and the environment."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest

from config.settings import Settings, load, to_env
from infra import clients
from streams.kafka.producer import producer_config
from streams.worker.app import broker_credentials

SASL = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "SCRAM-SHA-512",
    "sasl.username": "ts",
    "sasl.password": "secret",
}


def test_the_producer_takes_the_pass_through_over_its_defaults():
    config = producer_config(Settings(kafka_client_config={**SASL, "linger.ms": 20}))
    assert {k: config[k] for k in SASL} == SASL
    assert (config["linger.ms"], config["acks"]) == (20, "all")


def test_every_confluent_client_has_the_bootstrap_servers_and_the_pass_through():
    settings = Settings(kafka_hosts="k1:9092,k2:9092", kafka_client_config=SASL)
    assert clients.confluent(settings, {"log_level": 4}) == {
        "bootstrap.servers": "k1:9092,k2:9092",
        "log_level": 4,
        **SASL,
    }


def test_aiokafka_takes_the_security_part_and_tls_from_the_system_cas():
    options = clients.aiokafka(Settings(kafka_client_config={**SASL, "linger.ms": 20}))
    assert options["security_protocol"] == "SASL_SSL"
    assert (options["sasl_mechanism"], options["sasl_plain_username"]) == ("SCRAM-SHA-512", "ts")
    assert options["sasl_plain_password"] == "secret"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert "linger_ms" not in options
    assert "linger.ms" not in options


def test_without_a_pass_through_aiokafka_gets_the_servers_alone():
    assert clients.aiokafka(Settings()) == {"bootstrap_servers": "127.0.0.1:9092"}
    assert broker_credentials(clients.aiokafka(Settings())) is None


def test_faust_gets_sasl_credentials_over_tls():
    credentials = broker_credentials(clients.aiokafka(Settings(kafka_client_config=SASL)))
    assert (credentials.username, credentials.password) == ("ts", "secret")
    assert credentials.mechanism.value == "SCRAM-SHA-512"
    assert credentials.protocol.value == "SASL_SSL"


def test_a_ca_file_that_does_not_exist_fails_at_start_not_later():
    settings = Settings(kafka_client_config={"ssl.ca.location": "/nonexistent/ca.pem"})
    with pytest.raises(FileNotFoundError):
        clients.aiokafka(settings)
    with pytest.raises(FileNotFoundError):
        clients.cassandra(Settings(cassandra_ssl_ca="/nonexistent/ca.pem"))


def test_cassandra_gets_a_password_authenticator_and_tls():
    options = clients.cassandra(
        Settings(cassandra_username="ts", cassandra_password="pw", cassandra_ssl_ca=ssl_ca())
    )
    assert options["auth_provider"].username == "ts"
    assert options["auth_provider"].password == "pw"
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    assert clients.cassandra(Settings()) == {}


def test_the_cassandra_cluster_is_built_with_them():
    from streams.cassandra.store import connect_cluster

    cluster = connect_cluster(
        Settings(cassandra_username="ts", cassandra_password="pw", cassandra_local_dc="eu-1")
    )
    assert cluster.auth_provider.username == "ts"
    policy = cluster.profile_manager.default.load_balancing_policy
    assert policy._child_policy.local_dc == "eu-1"


def test_the_table_comes_from_a_settings_file_and_survives_a_child_processes_env(tmp_path: Path):
    path = tmp_path / "settings.toml"
    path.write_text('[kafka_client_config]\n"security.protocol" = "SSL"\n')
    settings = load({"TS_SETTINGS_FILE": str(path)})
    assert settings.kafka_client_config == {"security.protocol": "SSL"}
    env = to_env(settings)
    assert json.loads(env["TS_KAFKA_CLIENT_CONFIG"]) == {"security.protocol": "SSL"}
    assert load(env).kafka_client_config == {"security.protocol": "SSL"}


def ssl_ca() -> str:
    """A CA bundle the machine has (the TLS context only needs a readable one)."""
    return ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt"
