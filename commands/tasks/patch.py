"""A change to a task's fields and documents, as plain data: what the API builds from a request,
what TaskCreated/TaskEdited carry as JSON, and what the read model applies without reading.

- `set`: scalar fields (name, comment, tags, project...), written as they are;
- `merge`: documents merged key by key (script, execution, output: ClearML merges the top
  level of these embedded documents on edit);
- `replace`: documents replaced whole (container, runtime; None clears);
- `clear`, `put`, `drop`: keyed items (hyperparameters by section and name, configuration by
  name, artifacts by mode and key, models by type and name): clear a kind (or one section of
  it) first, then put and drop single items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

HYPERPARAMS = "hyperparams"
CONFIGURATION = "configuration"
ARTIFACT = "artifact"
MODEL = "model"
MERGED = ("script", "execution", "output")
REPLACED = ("container", "runtime")


@dataclass
class Patch:
    set: dict[str, Any] = field(default_factory=dict)
    merge: dict[str, dict[str, Any]] = field(default_factory=dict)
    replace: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    clear: list[tuple[str, str | None]] = field(default_factory=list)
    put: list[tuple[str, str, str, Any]] = field(default_factory=list)
    drop: list[tuple[str, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.set, self.merge, self.replace, self.clear, self.put, self.drop))

    def to_json(self) -> str:
        body = {
            name: value
            for name, value in (
                ("set", self.set),
                ("merge", self.merge),
                ("replace", self.replace),
                ("clear", self.clear),
                ("put", self.put),
                ("drop", self.drop),
            )
            if value
        }
        return orjson.dumps(body).decode()

    @classmethod
    def from_json(cls, text: str) -> Patch:
        data = orjson.loads(text or "{}")
        return cls(
            set=data.get("set", {}),
            merge=data.get("merge", {}),
            replace=data.get("replace", {}),
            clear=[(kind, section) for kind, section in data.get("clear", [])],
            put=[(k, s, n, v) for k, s, n, v in data.get("put", [])],
            drop=[(k, s, n) for k, s, n in data.get("drop", [])],
        )


def hyperparam_items(hyperparams: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """put entries for hyperparams given as {section: {name: item}}."""
    return [
        (HYPERPARAMS, section, name, {**item, "section": section, "name": name})
        for section, params in hyperparams.items()
        for name, item in (params or {}).items()
    ]


def configuration_items(configuration: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    return [
        (CONFIGURATION, name, "", {**item, "name": name}) for name, item in configuration.items()
    ]


def artifact_items(artifacts: list[dict[str, Any]]) -> list[tuple[str, str, str, Any]]:
    """Artifacts are keyed by (mode, key), mode defaulting to output as in ClearML."""
    return [(ARTIFACT, a.get("mode") or "output", a["key"], a) for a in artifacts]


def model_items(models: dict[str, Any], now: int) -> list[tuple[str, str, str, Any]]:
    """Models of each type keep their list order through `seq`."""
    return [
        (MODEL, kind, item["name"], {**item, "seq": seq, "updated": item.get("updated") or now})
        for kind in ("input", "output")
        for seq, item in enumerate(models.get(kind) or [])
    ]
