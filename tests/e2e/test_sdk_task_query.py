"""Task.get_tasks with date filters through the real SDK: status_changed comparisons and
ranges as the SDK sends them (strings only, so no open end), and an extra datetime field."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.e2e.clients import Clients, complaints

pytestmark = pytest.mark.e2e

SCRIPT = """
    import json
    from clearml import Task

    def names(**task_filter):
        found = Task.get_tasks(project_name={project!r}, task_filter=task_filter)
        return sorted(t.name for t in found)

    draft = Task.create(project_name={project!r}, task_name="draft")
    first = Task.create(project_name={project!r}, task_name="first")
    second = Task.create(project_name={project!r}, task_name="second")
    first.mark_started(force=True)
    second.mark_started(force=True)
    second.mark_stopped(force=True)
    first.reload()
    second.reload()
    changed = {{t.name: t.data.status_changed.isoformat() for t in (first, second)}}
    out = {{
        "changed": changed,
        "after_first": names(status_changed=[">" + changed["first"]]),
        "range": names(status_changed=[changed["first"], changed["first"]]),
        "between": names(status_changed=[">=" + changed["first"], "<=" + changed["second"]]),
        "none_later": names(status_changed=[">2100-01-01T00:00:00"]),
        "updated": names(_allow_extra_fields_=True, last_update=[">=2000-01-01"]),
    }}
    print("RESULT=" + json.dumps(out))
"""


def test_get_tasks_filters_by_status_changed(clients: Clients):
    project = f"e2e-query-{secrets.token_hex(4)}"
    done = clients.run_script(SCRIPT.format(project=project))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    out = json.loads(done.stdout.split("RESULT=")[1].splitlines()[0])
    assert out["changed"]["first"] < out["changed"]["second"], out
    assert out["after_first"] == ["second"]
    assert out["range"] == ["first"]  # two values without a prefix: an inclusive range
    assert out["between"] == ["first", "second"]
    assert out["none_later"] == []
    assert out["updated"] == ["draft", "first", "second"]
