"""ClearML Datasets through the real SDK: create, add files, upload, finalize, a child version,
and both read back by id and by project and name from a fresh process, the files of both
versions in the local copy."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.clients import Clients, complaints
from tests.stack import ok

pytestmark = pytest.mark.e2e
BOUND_S = 150.0  # a flow takes ~30 s; a broken call fails within this, never hangs

CREATE = """
    from pathlib import Path

    from clearml import Dataset

    data = Path("data")
    (data / "sub").mkdir(parents=True)
    (data / "a.txt").write_text("alpha")
    (data / "sub" / "b.txt").write_text("beta")
    parent = Dataset.create(dataset_name="flow", dataset_project={project!r})
    parent.add_files(str(data))
    parent.upload()
    parent.finalize()
    print("PARENT=" + parent.id)

    more = Path("more")
    more.mkdir()
    (more / "c.txt").write_text("gamma")
    child = Dataset.create(
        dataset_name="flow", dataset_project={project!r}, parent_datasets=[parent.id]
    )
    child.add_files(str(more))
    child.upload()
    child.finalize()
    print("CHILD=" + child.id)
"""

READ = """
    from pathlib import Path

    from clearml import Dataset

    def files(dataset):
        root = Path(dataset.get_local_copy())
        found = sorted(p for p in root.rglob("*") if p.is_file())
        return ",".join(f"{{p.relative_to(root)}}:{{p.read_text()}}" for p in found)

    latest = Dataset.get(dataset_project={project!r}, dataset_name="flow")
    print("LATEST=" + latest.id)
    print("LATEST_FILES=" + files(latest))
    first = Dataset.get(dataset_project={project!r}, dataset_name="flow", dataset_version="1.0.0")
    print("FIRST=" + first.id)
    print("CHILD_FILES=" + files(Dataset.get(dataset_id={child!r})))
    print("PARENT_FILES=" + files(Dataset.get(dataset_id={parent!r})))
    child = Dataset.get(dataset_id={child!r})
    print("LISTED=" + ",".join(sorted(child.list_files())))
    listed = Dataset.list_datasets(dataset_project={project!r})
    print("DATASETS=" + ",".join(sorted(d["id"] for d in listed)))
    print("PARENTS=" + ",".join(child.get_dependency_graph()[{child!r}]))
"""


def printed(output: str, name: str) -> str:
    return output.split(f"{name}=")[1].splitlines()[0]


def test_a_dataset_and_its_child_version_round_trip(clients: Clients):
    url = clients.stack.apis[0].url
    clients.fail_fast()
    project = f"e2e-data-{secrets.token_hex(4)}"
    made = clients.run_script(CREATE.format(project=project), timeout=BOUND_S)
    assert made.returncode == 0, made.stdout
    assert complaints(made.stdout) == [], made.stdout
    parent, child = printed(made.stdout, "PARENT"), printed(made.stdout, "CHILD")

    read = clients.run_script(READ.format(project=project, parent=parent, child=child), BOUND_S)
    assert read.returncode == 0, read.stdout
    assert complaints(read.stdout) == [], read.stdout
    both = "a.txt:alpha,c.txt:gamma,sub/b.txt:beta"
    assert printed(read.stdout, "LATEST") == child
    assert printed(read.stdout, "LATEST_FILES") == both
    assert printed(read.stdout, "FIRST") == parent
    assert printed(read.stdout, "CHILD_FILES") == both
    assert printed(read.stdout, "PARENT_FILES") == "a.txt:alpha,sub/b.txt:beta"
    assert printed(read.stdout, "LISTED") == "a.txt,c.txt,sub/b.txt"
    assert printed(read.stdout, "PARENTS") == parent
    assert printed(read.stdout, "DATASETS") == ",".join(sorted((parent, child)))

    for task in (parent, child):
        doc = ok(url, "tasks.get_by_id", {"task": task})["task"]
        assert (doc["status"], doc["type"]) == ("completed", "data_processing")
        assert "dataset" in doc["system_tags"]
    versions = [ok(url, "tasks.get_by_id", {"task": t})["task"]["runtime"]["version"]
                for t in (parent, child)]  # fmt: skip
    assert versions == ["1.0.0", "1.0.1"]
