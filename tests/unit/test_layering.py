"""The house rules of imports: commands/ and projections/ stay pure, no import runs back up a
layer, and no modules import each other in a cycle (docs/architecture.md, "Layers")."""

import ast
import re
from pathlib import Path

import pytest

from tests.unit.import_graph import PACKAGES, cycles, graph

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


# a module may import its own layer and the ones before it, never one after it
STREAMS_ROLES = ("schemas", "kafka", "cassandra", "worker", "ops")
KERNELS = {  # shared by every aggregate or view of their package: they import none of them
    "commands": ("commands.base", "commands.errors", "commands.limits", "commands.envelopes"),
    "projections": (
        "projections.mutations",
        "projections.listing",
        "projections.timefmt",
        "projections.safe_regex",
        "projections.query_port",
        "projections.protocol",
    ),
}
COMPOSITION_ROOTS = {"api.server"}  # wires the services into the app: the one plumbing module
# that may import them


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for module, imported in edges.items():
        for target in imported:
            if _rank(target) > _rank(module):
                found.append(f"{module} -> {target}")
    return sorted(found)


def _rank(module: str) -> tuple[int, int]:
    parts = module.split(".")
    role = parts[1] if parts[0] == "streams" and len(parts) > 2 else ""
    return PACKAGES.index(parts[0]), STREAMS_ROLES.index(role) if role in STREAMS_ROLES else 0


def kernel_imports(edges: dict[str, set[str]]) -> list[str]:
    found = []
    for package, kernels in KERNELS.items():
        for kernel in kernels:
            for target in edges.get(kernel, ()):
                if target.startswith(package + ".") and target.count(".") > 1:
                    found.append(f"{kernel} -> {target}")
    return sorted(found)


def plumbing_imports(edges: dict[str, set[str]]) -> list[str]:
    plumbing = [m for m in edges if m.startswith("api.") and m.count(".") == 1]
    return sorted(
        f"{module} -> {target}"
        for module in plumbing
        if module not in COMPOSITION_ROOTS
        for target in edges[module]
        if target.startswith("api.clearml.")
    )


@pytest.fixture(scope="module")
def edges():
    return graph(ROOT)


def test_no_import_runs_up_a_layer(edges):
    assert upward_imports(edges) == []


def test_kernels_import_no_aggregate_or_view(edges):
    assert kernel_imports(edges) == []


def test_api_plumbing_imports_no_clearml_service(edges):
    assert plumbing_imports(edges) == []


def test_no_import_cycles(edges):
    assert cycles(edges) == []


def test_the_checks_see_each_kind_of_violation():
    edges = {
        "streams.kafka.producer": {"streams.worker.app"},
        "commands.errors": {"commands.tasks.events"},
        "api.dispatch": {"api.clearml.tasks.read"},
        "projections.a": {"projections.b"},
        "projections.b": {"projections.c"},
        "projections.c": {"projections.a"},
        "config.settings": {"api.server"},
    }
    assert upward_imports(edges) == [
        "config.settings -> api.server",
        "streams.kafka.producer -> streams.worker.app",
    ]
    assert kernel_imports(edges) == ["commands.errors -> commands.tasks.events"]
    assert plumbing_imports(edges) == ["api.dispatch -> api.clearml.tasks.read"]
    assert cycles(edges) == [["projections.a", "projections.b", "projections.c"]]


CQL = re.compile(r"\b(SELECT .+ FROM|INSERT INTO|DELETE FROM|UPDATE \w+ SET)\b|\.execute(_many)?\(")


def cql_in(paths: list[Path]) -> list[str]:
    return sorted(
        f"{path}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CQL.search(line)
    )


def test_api_holds_no_cql():
    """Reads belong to their views (projections/<view>/read.py): handlers never see CQL."""
    assert cql_in(sorted((ROOT / "api").rglob("*.py"))) == []


def test_the_cql_check_sees_a_statement(tmp_path):
    handler = tmp_path / "handler.py"
    handler.write_text('rows = await svc.store.execute("SELECT * FROM tasks WHERE id = ?")\n')
    assert len(cql_in([handler])) == 1
