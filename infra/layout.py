"""Where local service state lives under settings.local_dir, and rendering of config templates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from config.settings import Settings

TEMPLATES = Path(__file__).resolve().parent
_TOKEN = re.compile(r"\{\{(\w+)\}\}")


def home(settings: Settings, name: str) -> Path:
    """Rendered configs and data of one service, e.g. .local/kafka."""
    return settings.local_dir / name


def log_dir(settings: Settings) -> Path:
    return settings.local_dir / "log"


def pid_file(settings: Settings, name: str) -> Path:
    return settings.local_dir / "run" / f"{name}.pid"


def out_file(settings: Settings, name: str) -> Path:
    """stdout+stderr of a process: JVM crashes and anything logged before logging is set up."""
    return log_dir(settings) / f"{name}.out"


def render(template: str, dest: Path, values: Mapping[str, object]) -> Path:
    """Fill {{name}} tokens of infra/<template> into dest; an unknown token is an error."""
    text = (TEMPLATES / template).read_text()

    def fill(match: re.Match[str]) -> str:
        if match[1] not in values:
            raise KeyError(f"{template}: no value for {{{{{match[1]}}}}}")
        return str(values[match[1]])

    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(_TOKEN.sub(fill, text))
    return dest
