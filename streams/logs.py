"""Process logging: human text lines, or one JSON object per line (the `log_format` setting).

A JSON line carries time (UTC, ISO 8601), level, logger and message, the exception's trace
when there is one, and the request id and company of the request being served when the API
or the file server bound them (`bound`, `bind_company`), or the company whose command the
worker decides: context variables, so every line a request's task writes, and the tasks it
starts, carry them without passing them around.
"""

from __future__ import annotations

import contextlib
import json
import logging
import logging.config
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
COMPANY: ContextVar[str | None] = ContextVar("company", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in messages are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (request_id := REQUEST_ID.get()) is not None:
            line["request_id"] = request_id
        if (company := COMPANY.get()) is not None:
            line["company"] = company
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


@contextlib.contextmanager
def bound(request_id: str | None = None, company: str | None = None) -> Iterator[None]:
    """Lines logged inside carry request_id and company (or the one `bind_company` names)."""
    id_token, company_token = REQUEST_ID.set(request_id), COMPANY.set(company)
    try:
        yield
    finally:
        COMPANY.reset(company_token)
        REQUEST_ID.reset(id_token)


def bind_company(company: str) -> None:
    """The caller's company, once authenticated, for the rest of the request (see `bound`)."""
    COMPANY.set(company)


def dict_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A logging.config.dictConfig for the root logger, writing to stderr in log_format."""
    if log_format not in FORMATS:
        raise ValueError(f"log_format must be one of {', '.join(FORMATS)}, not {log_format!r}")
    formatter = {"()": JsonFormatter} if log_format == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,  # loggers made at import time keep logging
        "formatters": {"line": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
        "root": {"level": level, "handlers": ["stderr"]},
    }


def configure(log_format: str) -> None:
    """The root logger of a server process (API, file server, web app)."""
    logging.config.dictConfig(dict_config(log_format))
