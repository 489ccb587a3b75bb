"""Operator signals: the Prometheus metrics one process exports on `/metrics`.

Contract. A `Signals` holds its own registry (nothing global, nothing built at import time): the
composition root of each process (api/server.py, streams/worker/app.py) builds one and hands
it to the adapters that record into it; an adapter built without one records into a detached
`Signals` that nobody scrapes. Label values are bounded: endpoints are registered names (or
"unknown"), groups and partitions come from settings, stages and error kinds are fixed words.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000)


class Signals:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)  # CPU seconds, resident memory, open files
        self.requests = Counter(
            "taskstream_http_requests",
            "Requests answered, by endpoint and HTTP status",
            ["endpoint", "status"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "taskstream_http_request_seconds",
            "Time to answer a request, by endpoint",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.command_seconds = Histogram(
            "taskstream_command_roundtrip_seconds",
            "From sending a command to its decider's reply, by outcome "
            "(decided, rejected, unavailable)",
            ["outcome"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.ingested = Counter(
            "taskstream_ingest_records",
            "Telemetry records appended to Kafka (acknowledged with acks=all)",
            registry=registry,
        )
        self.produce_seconds = Histogram(
            "taskstream_produce_seconds",
            "From handing a batch to the producer to every record acknowledged by Kafka",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.readable_seconds = Histogram(
            "taskstream_telemetry_readable_seconds",
            "From Kafka's acknowledgement of a telemetry append to the projectors having "
            "applied it (the read-your-writes wait before the answer)",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.readable_late = Counter(
            "taskstream_telemetry_readable_late",
            "Telemetry appends answered at the bound (telemetry_readable_wait_s), before the "
            "projectors applied them",
            registry=registry,
        )
        self.produce_errors = Counter(
            "taskstream_produce_errors",
            "Batches that could not be made durable in Kafka",
            registry=registry,
        )
        self.cassandra_errors = Counter(
            "taskstream_cassandra_errors",
            "Cassandra failures, by kind (connect: no session; unavailable: a statement the "
            "worker retries and the API answers 503; refused: its rows are set aside)",
            ["kind"],
            registry=registry,
        )
        self.intake_lag = Gauge(
            "taskstream_intake_lag_records",
            "Records in the log not yet applied, by consumer group (the decider, each "
            "projection) and partition",
            ["group", "partition"],
            registry=registry,
        )
        self.intake_batch = Histogram(
            "taskstream_intake_batch_records",
            "Records per batch applied by a consumer group (the decider's batch is one group "
            "commit)",
            ["group"],
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        self.intake_seconds = Histogram(
            "taskstream_intake_batch_seconds",
            "Time to apply one batch (decide or project, and write), by consumer group",
            ["group"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.intake_age = Histogram(
            "taskstream_intake_visibility_seconds",
            "Age of a batch's oldest record when the batch was applied (from its append to "
            "Kafka to readable: the visibility lag), by consumer group",
            ["group"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.dead_letters = Counter(
            "taskstream_dead_letters",
            "Records parked on the dead-letter topic, by stage and error type",
            ["stage", "error"],
            registry=registry,
        )

    def exposition(self) -> bytes:
        """The registry in Prometheus's text format."""
        return bytes(generate_latest(self.registry))
