"""avro/ holds exactly what the message dataclasses generate, and every schema round-trips."""

import dataclasses
import typing
from pathlib import Path

import pytest

from commands.base import Envelope
from streams.schemas import catalog, derive
from streams.schemas.codec import Codec, CorruptRecord, Registry, UnknownSchema
from streams.schemas.history import samples
from streams.schemas.records import from_record, to_record

AVRO = Path(__file__).resolve().parents[2] / "avro"


def test_committed_schemas_match_the_code(tmp_path):
    derive.write(catalog.message_classes(), tmp_path)
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.avsc")}
    committed = {p.name: p.read_text() for p in AVRO.glob("*.avsc")}
    assert committed == generated, "run: python -m streams.schemas.derive to refresh avro/"


def example(cls):
    """An instance of a message class with a non-default value in every field."""
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _value(hints[f.name]) for f in dataclasses.fields(cls)})


def _value(hint):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, __import__("types").UnionType):
        return _value(next(a for a in args if a is not type(None)))
    if origin in (tuple, list):
        return (_value(args[0]), _value(args[0]))
    if origin is dict:
        return {"k": _value(args[1])}
    if dataclasses.is_dataclass(hint):
        return example(hint)
    return {str: "text", int: 7, float: 1.5, bool: True, bytes: b"\x00\x01"}[hint]


ENVELOPE = Envelope("e1", "T", "company", "user", "agg", "agg-1", 1795000000000, None, "c1", "r1")


@pytest.fixture(scope="module")
def codec():
    return Codec(Registry.load(AVRO))


@pytest.mark.parametrize("cls", catalog.message_classes(), ids=lambda c: c.__name__)
def test_every_message_round_trips(codec, cls):
    message = example(cls)
    data = codec.encode(cls.avro_name(), to_record(ENVELOPE, message))
    name, record = codec.decode(data)
    decoded = from_record(catalog.by_name(), name, record)
    assert decoded.message == message
    assert decoded.envelope == ENVELOPE


def test_encoding_is_single_object_with_the_schema_fingerprint(codec):
    cls = catalog.message_classes()[0]
    data = codec.encode(cls.avro_name(), to_record(ENVELOPE, example(cls)))
    assert data[:2] == b"\xc3\x01"
    assert data[2:10] == codec.registry.current[cls.avro_name()].fingerprint


def test_unknown_fingerprint_is_a_typed_error(codec):
    with pytest.raises(UnknownSchema):
        codec.decode(b"\xc3\x01" + b"\xff" * 8 + b"\x00")


@pytest.mark.parametrize("data", [b"", b"{}", b"\xc3\x01\x00"], ids=["empty", "json", "short"])
def test_garbage_is_a_corrupt_record(codec, data):
    with pytest.raises(CorruptRecord):
        codec.decode(data)


def test_truncated_body_is_a_corrupt_record(codec):
    cls = catalog.message_classes()[0]
    data = codec.encode(cls.avro_name(), to_record(ENVELOPE, example(cls)))
    with pytest.raises(CorruptRecord):
        codec.decode(data[:-3])


def test_a_record_missing_a_required_field_is_refused(codec):
    cls = catalog.message_classes()[0]
    record = to_record(ENVELOPE, example(cls))
    record.pop(dataclasses.fields(cls)[0].name)
    with pytest.raises(Exception, match="does not match"):
        codec.encode(cls.avro_name(), record)


def test_old_samples_decode_through_the_current_reader(codec):
    found = list(samples(AVRO))
    assert found, "avro/history must keep at least one older version with samples"
    for stem, data in found:
        name, record = codec.decode(data)
        assert name == stem.split("@")[0]
        decoded = from_record(catalog.by_name(), name, record)
        assert decoded.envelope.company
