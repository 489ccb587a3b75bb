"""`taskstream schemas check | freeze`: schema evolution held to its promises.

Every change must let the current reader read the stored samples of every older version
(backward). A message class that sets COMPATIBILITY = "full" (emitted into its .avsc as
"compatibility": "full") also promises that readers of every older version can read what the
current schema writes (forward): samples generated from the current schema are decoded with each
old version as the reader. With `against` (a checkout of the schemas at a git ref), a schema
that differs there and whose old version is not frozen in avro/history is an error too: its
data in the log could no longer be read.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from fastavro import schemaless_reader, schemaless_writer
from fastavro.schema import load_schema

from streams.schemas import history as schema_history
from streams.schemas.codec import Codec, CodecError, Registry, Writer, _writer
from streams.schemas.samples import samples as generate


def check(schema_dir: Path, against: Path | None = None) -> list[str]:
    """Every broken promise, as one readable line each; empty when all hold."""
    registry = Registry.load(schema_dir)
    problems = _backward(schema_dir, registry) + _forward(schema_dir, registry)
    if against is not None:
        problems += _unfrozen(registry, Registry.load(against))
    return problems


def _backward(schema_dir: Path, registry: Registry) -> list[str]:
    codec, problems = Codec(registry), []
    for path in sorted((schema_dir / "history").glob("*.avsc")):
        if not path.with_suffix(".samples").exists():
            problems.append(f"{path.stem}: no samples stored next to it")
    for stem, data in schema_history.samples(schema_dir):
        name = stem.split("@")[0]
        if name not in registry.current:
            problems.append(f"{stem}: there is no current schema {name} to read its data")
            continue
        try:
            codec.decode(data)
        except CodecError as exc:
            problems.append(f"{stem}: the current {name} cannot read its sample: {exc}")
    return problems


def _forward(schema_dir: Path, registry: Registry) -> list[str]:
    problems = []
    for name, current in registry.current.items():
        if promise(schema_dir, name) != "full":
            continue
        expanded = load_schema(str(schema_dir / f"{name}.avsc"), _write_hint=False)
        for old in _older(registry, name):
            for sample in generate(expanded):
                try:
                    _reread(sample, current, old)
                except Exception as exc:
                    stem = f"{name}@{old.fingerprint.hex()}"
                    problems.append(
                        f"{name}: promised full compatibility, but {stem} cannot read it: {exc!r}"
                    )
                    break
    return problems


def promise(schema_dir: Path, name: str) -> str:
    doc = schema_history.load_json(schema_dir / f"{name}.avsc")
    return str(doc.get("compatibility", "backward"))


def _older(registry: Registry, name: str) -> list[Writer]:
    current = registry.current[name]
    return [w for w in registry.by_fingerprint.values() if w.name == name and w is not current]


def _reread(sample: dict[str, Any], writer: Writer, reader: Writer) -> None:
    body = io.BytesIO()
    schemaless_writer(body, writer.schema, sample, strict=True)
    body.seek(0)
    schemaless_reader(body, writer.schema, reader.schema)


def _unfrozen(registry: Registry, before: Registry) -> list[str]:
    problems = []
    for name, old in before.current.items():
        if old.fingerprint in registry.by_fingerprint:
            continue
        what = "was removed" if name not in registry.current else "changed"
        problems.append(
            f"{name} {what} without freezing its old version "
            f"(fingerprint {old.fingerprint.hex()}): run `taskstream schemas freeze {name} "
            "--from-ref <ref>` and commit avro/history"
        )
    return problems


def freeze(schema_dir: Path, name: str, source_dir: Path | None = None) -> Path | None:
    """Store schema `name` (from `source_dir`, default the current one) with generated samples
    in avro/history; None when that version is already there."""
    expanded = load_schema(str((source_dir or schema_dir) / f"{name}.avsc"), _write_hint=False)
    fingerprint = _writer(name, expanded).fingerprint.hex()
    if (schema_dir / "history" / f"{name}@{fingerprint}.avsc").exists():
        return None
    return schema_history.freeze(schema_dir, expanded, generate(expanded))


def checkout(repo: Path, ref: str, into: Path) -> Path:
    """The avro/ directory as it is at git `ref`, extracted under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", ref, "avro"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "avro"
