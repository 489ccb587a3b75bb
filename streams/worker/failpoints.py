"""Failpoints: named places where a test can make this process die as `kill -9` would.

Armed only through settings.failpoints (TS_FAILPOINTS), so the crash lands exactly in the
window a guarantee is about (after a durable append, before the projection), not wherever a
timer happened to fire.
"""

from __future__ import annotations

import os
import signal

from config.settings import Settings

AFTER_APPEND = "decider.after_append"  # events durable in Kafka, rows not yet in Cassandra
AFTER_PROJECT = "projector.after_apply"  # rows written, watermark not yet advanced


def crash_if_armed(settings: Settings, name: str) -> None:
    if name in settings.failpoints.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
