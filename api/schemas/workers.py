"""Request schemas of the workers service (ClearML's workers.conf and what our handlers read)."""

from __future__ import annotations

from api.schemas.common import (
    Schema,
    array,
    boolean,
    date,
    enum,
    integer,
    key,
    keys,
    long,
    number,
    obj,
    str_map,
    text,
)
from commands.limits import MAX_INT

WORKER = {"worker": key()}
STAT = number(-MAX_INT)
MACHINE_STATS = obj(
    {"cpu_usage": array(STAT), "cpu_temperature": array(STAT), "gpu_usage": array(STAT),
     "gpu_temperature": array(STAT), "gpu_memory_free": array(STAT),
     "gpu_memory_used": array(STAT), "memory_used": STAT, "memory_free": STAT,
     "network_tx": STAT, "network_rx": STAT, "disk_free_home": STAT, "disk_free_temp": STAT,
     "disk_read": STAT, "disk_write": STAT},
)  # fmt: skip
RANGE = {"from_date": date(), "to_date": date(), "interval": integer(1)}
RUNTIME_PROPERTY = obj({"key": key(), "value": text(), "expiry": integer(0)}, "key")
ITEM = obj({"key": key(), "aggregation": enum("avg", "min", "max")}, "key")


def _worker(**more: Schema) -> Schema:
    return obj({**WORKER, **more}, "worker")


SCHEMAS: dict[str, Schema] = {
    "workers.register": _worker(timeout=integer(0), queues=keys(), tags=keys(), system_tags=keys()),
    "workers.unregister": _worker(),
    "workers.status_report": _worker(
        task=key(), queue=key(), queues=keys(), tags=keys(), system_tags=keys(),
        timestamp=long(0), machine_stats=MACHINE_STATS, metrics=str_map(STAT),
    ),
    "workers.get_all": obj({"last_seen": integer(0), "tags": keys(), "system_tags": keys(),
                            "worker_pattern": key()}),
    "workers.get_count": obj({"last_seen": integer(0), "tags": keys(), "system_tags": keys(),
                              "worker_pattern": key()}),
    "workers.get_stats": obj({**RANGE, "worker_ids": keys(), "items": array(ITEM),
                              "split_by_variant": boolean(), "split_by_resource": boolean()},
                             "from_date", "to_date", "interval", "items"),
    "workers.get_metric_keys": obj({"worker_ids": keys()}),
    "workers.get_activity_report": obj(RANGE, "from_date", "to_date", "interval"),
    "workers.get_history": _worker(),
    "workers.set_runtime_properties": _worker(runtime_properties=array(RUNTIME_PROPERTY)),
    "workers.get_runtime_properties": _worker(),
}  # fmt: skip
