"""Structured logs (streams/logs.py): one JSON object per line, with the bound request id and
company; the request id a caller sends or a new one (api/request_ids.py)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import make_mocked_request

from api import request_ids
from streams import logs


def record(message: str, *args: object, **extra: Any) -> logging.LogRecord:
    return logging.LogRecord("ts.test", logging.WARNING, __file__, 1, message, args, None, **extra)


def formatted(rec: logging.LogRecord) -> dict[str, Any]:
    line = logs.JsonFormatter().format(rec)
    assert "\n" not in line
    return json.loads(line)


def test_a_line_has_time_level_logger_and_the_message_with_its_arguments():
    rec = record("%s took %d s\nand more", "replay", 3)
    rec.created = 1700000000.25
    assert formatted(rec) == {
        "time": "2023-11-14T22:13:20.250+00:00",
        "level": "WARNING",
        "logger": "ts.test",
        "message": "replay took 3 s\nand more",
    }


def test_outside_a_request_there_is_no_request_id_or_company():
    assert {"request_id", "company"}.isdisjoint(formatted(record("idle")))


def test_inside_a_request_lines_carry_its_id_and_then_its_company():
    with logs.bound("req-1"):
        before = formatted(record("parsing"))
        logs.bind_company("c0ffee")
        after = formatted(record("answered"))
    assert before["request_id"] == "req-1"
    assert "company" not in before
    assert (after["request_id"], after["company"]) == ("req-1", "c0ffee")
    assert "request_id" not in formatted(record("after the request"))
    assert "company" not in formatted(record("after the request"))


def test_the_worker_binds_a_commands_company_without_a_request_id():
    with logs.bound(company="c1"):
        line = formatted(record("deciding failed"))
    assert line["company"] == "c1"
    assert "request_id" not in line


def test_an_exception_keeps_its_trace_in_the_same_object():
    error = KeyError("missing")
    rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), (KeyError, error, None))
    line = formatted(rec)
    assert line["message"] == "failed"
    assert "KeyError: 'missing'" in line["exception"]


def test_a_message_that_is_not_text_is_written_as_text():
    assert formatted(record("%s", {1, 2}))["message"] in ("{1, 2}", "{2, 1}")


@pytest.fixture
def root_in(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """The root logger configured by logs.dict_config(param), writing into a buffer."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    buffer = io.StringIO()
    config = logs.dict_config(request.param)
    config["handlers"]["stderr"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


@pytest.mark.parametrize("root_in", ["json"], indirect=True)
def test_the_json_setting_makes_every_logger_write_json(root_in):
    logging.getLogger("streams.worker.decider").info("batch of %d", 4)
    line = json.loads(root_in.getvalue())
    assert (line["logger"], line["level"], line["message"]) == (
        "streams.worker.decider",
        "INFO",
        "batch of 4",
    )


@pytest.mark.parametrize("root_in", ["text"], indirect=True)
def test_the_text_setting_keeps_plain_lines(root_in):
    logging.getLogger("api.edge").warning("slow")
    assert root_in.getvalue().rstrip().endswith("WARNING api.edge slow")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="log_format"):
        logs.dict_config("yaml")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("3f2a-77", True), ("a" * 128, True), ("a" * 129, False), ("x y", False), ("", False)],
)
def test_a_sane_request_id_is_kept_and_anything_else_replaced(sent, kept):
    headers = {request_ids.HEADER: sent} if sent else {}
    rid = request_ids.request_id(make_mocked_request("GET", "/", headers=headers))
    assert (rid == sent) is kept
    assert 1 <= len(rid) <= 128


def test_the_worker_replaces_fausts_handler_only_for_json():
    from config.settings import Settings
    from streams.worker.main import logging_options

    json_config = logging_options(Settings(log_format="json"))["logging_config"]
    assert json_config["formatters"]["line"] == {"()": logs.JsonFormatter}
    assert logging_options(Settings()) == {}
    with pytest.raises(ValueError, match="log_format"):
        logging_options(Settings(log_format="JSON"))
