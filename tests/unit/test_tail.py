"""tail decodes every message type in the catalog into a readable line and a JSON object."""

import dataclasses
import json
from pathlib import Path

import pytest

from commands.base import Envelope
from streams.kafka.log_reader import LogRecord
from streams.ops.tail import Filter, describe, line
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record
from tests.unit.test_schemas import example

AVRO = Path(__file__).resolve().parents[2] / "avro"
ENVELOPE = Envelope("e1", "", "acme", "alice", "queue", "q1", 1795000000000, None, "c1", "r1")


@pytest.fixture(scope="module")
def codec():
    return Codec(Registry.load(AVRO))


def logged(codec, cls, headers=()):
    envelope = Envelope(**{**ENVELOPE.__dict__, "type": cls.__name__})
    value = codec.encode(cls.avro_name(), to_record(envelope, example(cls)))
    return LogRecord(3, 17, 1795000000000, b"acme", value, headers)


@pytest.mark.parametrize("cls", catalog.message_classes(), ids=lambda c: c.__name__)
def test_every_message_type_is_decoded(codec, cls):
    item = describe(codec, "events", logged(codec, cls))
    assert (item["type"], item["message"]) == (cls.__name__, cls.avro_name())
    assert (item["company"], item["user"], item["request_id"]) == ("acme", "alice", "r1")
    assert set(item["fields"]) >= {f.name for f in dataclasses.fields(cls)}
    assert json.loads(json.dumps(item)) == item  # JSON lines are plain JSON
    assert line(item).startswith(f"2026-11-18T11:06:40.000+00:00 events[3]@17 {cls.__name__} ")


def test_a_reply_has_no_envelope_and_still_reads(codec):
    value = codec.encode(
        "taskstream.Reply",
        {"command_id": "c1", "code": 400, "subcode": 801, "message": "taken", "data": "{}"},
    )
    item = describe(codec, "replies", LogRecord(0, 1, 1, None, value))
    assert item["type"] == "Reply"
    assert item["fields"]["subcode"] == 801


def test_an_undecodable_record_is_shown_not_fatal(codec):
    item = describe(codec, "events", LogRecord(0, 5, 1, None, b"garbage"))
    assert item["type"] == "undecodable"
    assert "UNDECODABLE" in line(item)


def test_dead_letters_show_their_headers(codec):
    cls = catalog.message_classes()[0]
    item = describe(codec, "deadletter", logged(codec, cls, (("stage", b"decide"),)))
    assert item["headers"] == {"stage": "decide"}


def test_filters_by_company_and_type(codec):
    cls = catalog.message_classes()[0]
    item = describe(codec, "events", logged(codec, cls))
    assert Filter().keeps(item)
    assert Filter(frozenset({"acme"}), frozenset({cls.__name__})).keeps(item)
    assert not Filter(frozenset({"other"})).keeps(item)
    assert not Filter(types=frozenset({"Nothing"})).keeps(item)
