"""commands/ and projections/ stay pure: no I/O or framework import may creep in."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "aiohttp",
    "faust",
    "mode",
    "aiokafka",
    "confluent_kafka",
    "cassandra",
    "fastavro",
    "streams",
    "api",
    "infra",
    "taskstream",
    "requests",
    "socket",
    "asyncio",
    "os",
    "subprocess",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["commands", "projections"])
def test_pure_packages_import_no_io(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imports(path) & FORBIDDEN)
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from cassandra.cluster import Cluster\nimport asyncio\n")
    assert imports(bad) & FORBIDDEN == {"cassandra", "asyncio"}
