"""Older schema versions kept in avro/history with encoded samples, so every change is tested
against real old bytes: `<full name>@<fingerprint>.avsc` (the self-contained schema, defaults
kept so it can serve as a reader in forward checks) and `<full name>@<fingerprint>.samples`
(length-prefixed single-object encoded records)."""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastavro import parse_schema, schemaless_writer

from streams.schemas.codec import MAGIC, _writer


def full_name(schema: Any) -> str:
    name = schema["name"]
    return name if "." in name else f"{schema['namespace']}.{name}"


def freeze(schema_dir: Path, schema: Any, samples: list[dict[str, Any]]) -> Path:
    """Store `schema` (a full, self-contained schema) as a historical writer with samples."""
    writer = _writer(full_name(schema), schema)
    stem = f"{writer.name}@{writer.fingerprint.hex()}"
    history = schema_dir / "history"
    history.mkdir(exist_ok=True)
    (history / f"{stem}.avsc").write_text(json.dumps(schema, indent=2) + "\n")
    blob = io.BytesIO()
    for sample in samples:
        body = io.BytesIO()
        schemaless_writer(body, parse_schema(schema), sample, strict=True)
        record = MAGIC + writer.fingerprint + body.getvalue()
        blob.write(struct.pack(">I", len(record)) + record)
    (history / f"{stem}.samples").write_bytes(blob.getvalue())
    return history / f"{stem}.avsc"


def samples(schema_dir: Path) -> Iterator[tuple[str, bytes]]:
    """(file stem, encoded record) for every stored sample."""
    for path in sorted((schema_dir / "history").glob("*.samples")):
        data = path.read_bytes()
        while data:
            (size,) = struct.unpack(">I", data[:4])
            yield path.stem, data[4 : 4 + size]
            data = data[4 + size :]


def load_json(path: Path) -> Any:
    return json.loads(path.read_text())
