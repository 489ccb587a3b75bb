"""The one module that touches Avro bytes: single-object encoding against the committed schemas.

Contract. `encode(name, record)` writes C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint
of the current schema `name`, then the binary body; records must match the schema exactly
(missing fields only where the schema has a default). `decode(data)` looks the fingerprint up
among every committed schema version (avro/*.avsc are current, avro/history/*.avsc are older
writers) and resolves the body into the current reader schema of the same name. An unknown
fingerprint raises UnknownSchema and anything unreadable raises CorruptRecord; both are
CodecError, so a consumer can dead-letter the record instead of crashing in a loop.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.schema import fingerprint, load_schema, to_parsing_canonical_form

MAGIC = b"\xc3\x01"
HEADER = len(MAGIC) + 8


class CodecError(Exception):
    """A record that cannot be encoded or decoded."""


class UnknownSchema(CodecError):  # noqa: N818 - reads as the condition it reports
    pass


class CorruptRecord(CodecError):  # noqa: N818
    pass


@dataclass(frozen=True)
class Writer:
    name: str
    schema: Any  # parsed
    fingerprint: bytes


class Registry:
    """Fingerprint -> writer schema for every committed version; name -> current schema."""

    def __init__(self, current: dict[str, Writer], history: list[Writer]) -> None:
        self.current = current
        self.by_fingerprint = {w.fingerprint: w for w in [*history, *current.values()]}

    @classmethod
    def load(cls, schema_dir: Path) -> Registry:
        current = {}
        for path in sorted(schema_dir.glob("*.avsc")):
            schema = load_schema(str(path), _write_hint=False)
            current[path.stem] = _writer(path.stem, schema)
        history = []
        for path in sorted((schema_dir / "history").glob("*.avsc")):
            name = path.name.split("@")[0]
            history.append(_writer(name, json.loads(path.read_text())))
        return cls(current, history)

    def with_readers(self, reader_dir: Path) -> Registry:
        """These writers, resolved into the reader schemas in `reader_dir` (a consumer's own
        copy of avro/, possibly older): decoding then yields records shaped as those readers."""
        readers = Registry.load(reader_dir)
        writers = [*self.by_fingerprint.values(), *readers.by_fingerprint.values()]
        return Registry(readers.current, writers)


def _writer(name: str, schema: Any) -> Writer:
    canonical = to_parsing_canonical_form(schema)
    return Writer(name, parse_schema(schema), bytes.fromhex(fingerprint(canonical, "CRC-64-AVRO")))


def canonical_form(schema: Any) -> str:
    return to_parsing_canonical_form(schema)


class Codec:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def encode(self, name: str, record: dict[str, Any]) -> bytes:
        writer = self.registry.current.get(name)
        if writer is None:
            raise UnknownSchema(f"no committed schema named {name}")
        out = io.BytesIO()
        out.write(MAGIC + writer.fingerprint)
        try:
            schemaless_writer(out, writer.schema, record, strict_allow_default=True)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise CodecError(f"record does not match {name}: {exc}") from exc
        return out.getvalue()

    def decode(self, data: bytes) -> tuple[str, dict[str, Any]]:
        if len(data) < HEADER or data[:2] != MAGIC:
            raise CorruptRecord("not an Avro single-object encoded record")
        writer = self.registry.by_fingerprint.get(bytes(data[2:HEADER]))
        if writer is None:
            raise UnknownSchema(f"unknown schema fingerprint {data[2:HEADER].hex()}")
        reader = self.registry.current.get(writer.name)
        resolve = None if reader is None or reader is writer else reader.schema
        try:
            record = schemaless_reader(io.BytesIO(data[HEADER:]), writer.schema, resolve)
        except Exception as exc:  # fastavro raises many types on truncated or garbled bodies
            raise CorruptRecord(f"cannot read {writer.name}: {exc!r}") from exc
        return writer.name, record  # type: ignore[return-value]
