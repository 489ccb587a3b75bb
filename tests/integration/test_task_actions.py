"""tasks.archive / move / update_tags / make_public and the *_many batch forms on the real
stack, with ClearML's reply shapes; tasks.delete with children and file urls; tasks.edit's
echo; queues.add_task's execution queue."""

from __future__ import annotations

import secrets

import pytest

from tests.integration.test_telemetry import add_batch
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration
MISSING = "no-such-task"


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def new_task(url: str, **body: object) -> str:
    return ok(url, "tasks.create", {"name": unique("task"), "type": "training", **body})["id"]


def new_queue(url: str) -> str:
    return ok(url, "queues.create", {"name": unique("queue")})["id"]


def task(url: str, task_id: str) -> dict:
    return ok(url, "tasks.get_by_id", {"task": task_id})["task"]


def image(task: str, iteration: int) -> dict:
    return {"type": "training_debug_image", "task": task, "iter": iteration, "metric": "m",
            "variant": "v", "url": f"http://files.invalid/{task}/{iteration}.png"}  # fmt: skip


def codes(envelope: dict) -> tuple[int, int]:
    return envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]


def assert_failed_missing(reply: dict) -> None:
    (failed,) = reply["failed"]
    assert failed["id"] == MISSING
    assert failed["error"]["codes"] == [400, 101]
    assert failed["error"]["msg"].startswith("Invalid task id")
    assert failed["error"]["data"] == {"id": MISSING}


def test_enqueue_dequeue_many_answer_per_task(stack: Stack):
    url = stack.apis[0].url
    queue, first, second = new_queue(url), new_task(url), new_task(url)
    body = {"ids": [first, MISSING, second], "queue": queue, "verify_watched_queue": True}
    reply = ok(url, "tasks.enqueue_many", body)
    assert [s["id"] for s in reply["succeeded"]] == [first, second]
    item = reply["succeeded"][0]
    assert (item["queued"], item["updated"]) == (True, 1)
    assert item["fields"]["status"] == "queued"
    assert item["fields"]["execution.queue"] == queue
    assert reply["queue_watched"] is False
    assert_failed_missing(reply)
    assert task(stack.apis[1].url, second)["execution"]["queue"] == queue
    reply = ok(url, "tasks.dequeue_many", {"ids": [first, MISSING]})
    (item,) = reply["succeeded"]
    assert (item["id"], item["dequeued"], item["fields"]["status"]) == (first, True, "created")
    assert_failed_missing(reply)


def test_stop_and_publish_many(stack: Stack):
    url = stack.apis[0].url
    running = new_task(url)
    ok(url, "tasks.started", {"task": running})
    reply = ok(url, "tasks.stop_many", {"ids": [running, MISSING]})
    (item,) = reply["succeeded"]
    assert (item["id"], item["updated"], item["fields"]["status"]) == (running, 1, "stopped")
    assert_failed_missing(reply)
    draft = new_task(url)
    reply = ok(url, "tasks.publish_many", {"ids": [running, draft]})
    assert [s["id"] for s in reply["succeeded"]] == [running]
    assert reply["succeeded"][0]["fields"]["status"] == "published"
    (failed,) = reply["failed"]
    assert (failed["id"], failed["error"]["codes"]) == (draft, [400, 110])


def test_reset_and_delete_many_carry_the_urls_the_web_app_reads(stack: Stack):
    url = stack.apis[0].url
    queue, queued = new_queue(url), new_task(url)
    ok(url, "tasks.enqueue", {"task": queued, "queue": queue})
    artifact = {"key": "data", "type": "custom", "uri": "s3://bucket/data.csv", "mode": "output"}
    ok(url, "tasks.add_or_update_artifacts", {"task": queued, "artifacts": [artifact]})
    web = {"return_file_urls": True, "force": True, "delete_output_models": True}
    reply = ok(url, "tasks.reset_many", {"ids": [queued, MISSING], **web})
    (item,) = reply["succeeded"]
    assert (item["id"], item["dequeued"], item["fields"]["status"]) == (queued, True, "created")
    assert item["urls"]["artifact_urls"] == ["s3://bucket/data.csv"]  # reset drops outputs
    assert (item["urls"]["model_urls"], item["urls"]["event_urls"]) == ([], [])
    assert_failed_missing(reply)
    assert task(url, queued)["execution"]["artifacts"] == []
    ok(url, "tasks.add_or_update_artifacts", {"task": queued, "artifacts": [artifact]})
    reply = ok(url, "tasks.delete_many", {"ids": [queued, MISSING], **web})
    (item,) = reply["succeeded"]
    assert (item["id"], item["deleted"]) == (queued, True)
    assert item["urls"]["artifact_urls"] == ["s3://bucket/data.csv"]
    assert (item["urls"]["model_urls"], item["urls"]["event_urls"]) == ([], [])
    assert_failed_missing(reply)
    assert codes(call(url, "tasks.get_by_id", {"task": queued})) == (400, 101)
    plain = ok(url, "tasks.reset_many", {"ids": [new_task(url)]})["succeeded"][0]
    assert "urls" not in plain
    assert plain["dequeued"] is False


def test_archive_dequeues_and_unarchive_restores(stack: Stack):
    url, other = stack.apis[0].url, stack.apis[1].url
    queue, queued, draft = new_queue(url), new_task(url), new_task(url, system_tags=["x"])
    ok(url, "tasks.enqueue", {"task": queued, "queue": queue})
    assert ok(url, "tasks.archive", {"tasks": [queued]}) == {"archived": 1}
    doc = task(other, queued)
    assert (doc["status"], doc["system_tags"]) == ("created", ["archived"])
    assert ok(url, "queues.get_by_id", {"queue": queue})["queue"]["entries"] == []
    reply = ok(url, "tasks.archive_many", {"ids": [draft, MISSING]})
    assert reply["succeeded"] == [{"id": draft, "archived": True}]
    assert_failed_missing(reply)
    assert sorted(task(other, draft)["system_tags"]) == ["archived", "x"]
    reply = ok(url, "tasks.unarchive_many", {"ids": [draft, queued, MISSING]})
    assert reply["succeeded"] == [
        {"id": draft, "unarchived": True},
        {"id": queued, "unarchived": True},
    ]
    assert_failed_missing(reply)
    assert task(other, draft)["system_tags"] == ["x"]
    envelope = call(url, "tasks.archive", {"tasks": [draft, MISSING]})
    assert codes(envelope) == (400, 101)
    assert task(other, draft)["system_tags"] == ["x"], "nothing is archived when one id is bad"


def test_move_by_name_creates_the_project_and_update_tags_edits_the_lists(stack: Stack):
    url = stack.apis[0].url
    first, second = new_task(url, tags=["a", "b"]), new_task(url)
    name = unique("moved")
    project = ok(url, "tasks.move", {"ids": [first, second], "project_name": name})["project_id"]
    assert ok(url, "projects.get_by_id", {"project": project})["project"]["name"] == name
    assert task(url, second)["project"] == project
    again = ok(url, "tasks.move", {"ids": [first], "project_name": name})["project_id"]
    assert again == project
    assert codes(call(url, "tasks.move", {"ids": [first]})) == (400, 11)
    body = {"ids": [first, second], "add_tags": ["c"], "remove_tags": ["a"]}
    assert ok(url, "tasks.update_tags", body) == {"updated": 4}
    assert task(url, first)["tags"] == ["b", "c"]
    assert task(url, second)["tags"] == ["c"]
    assert codes(call(url, "tasks.update_tags", {"ids": [first]})) == (400, 12)
    assert codes(call(url, "tasks.update_tags", {"ids": [MISSING], "add_tags": ["x"]})) == (
        400,
        101,
    )


def test_make_public_and_private_check_ids_and_change_nothing(stack: Stack):
    url = stack.apis[0].url
    mine = new_task(url)
    assert ok(url, "tasks.make_public", {"ids": [mine]}) == {"updated": 0}
    assert ok(url, "tasks.make_private", {"ids": [mine]}) == {"updated": 0}
    assert codes(call(url, "tasks.make_public", {"ids": [MISSING]})) == (400, 101)


def test_delete_with_children(stack: Stack):
    url = stack.apis[0].url
    parent = new_task(url)
    child, published = new_task(url, parent=parent), new_task(url, parent=parent)
    ok(url, "tasks.started", {"task": published})
    ok(url, "tasks.stopped", {"task": published})
    ok(url, "tasks.publish", {"task": published})
    refused = call(url, "tasks.delete", {"task": parent})
    assert codes(refused) == (400, 123)
    assert refused["meta"]["error_data"] == {"task": parent, "children": 1}
    ok(url, "tasks.started", {"task": parent})
    add_batch(url, [image(parent, 1), image(parent, 2), image(parent, 2)])
    body = {"tasks": [parent], "event_type": "training_debug_image"}
    wait_until(lambda: ok(url, "events.get_task_metrics", body)["metrics"][0]["metrics"], "images")
    reply = ok(url, "tasks.delete", {"task": parent, "force": True, "return_file_urls": True})
    assert (reply["deleted"], reply["updated_children"]) == (True, 2)
    assert sorted(reply["urls"]["event_urls"]) == [image(parent, i)["url"] for i in (1, 2)]
    assert (reply["urls"]["model_urls"], reply["urls"]["artifact_urls"]) == ([], [])
    assert task(stack.apis[1].url, child)["parent"] == f"__DELETED__{parent}"
    assert task(url, published)["parent"] == f"__DELETED__{parent}"


def test_edit_never_reports_a_status_it_did_not_set(stack: Stack):
    url = stack.apis[0].url
    draft = new_task(url)
    reply = ok(url, "tasks.edit", {"task": draft, "status": "published", "comment": "hi"})
    assert "status" not in reply["fields"]
    assert reply["fields"]["comment"] == "hi"
    assert ok(url, "tasks.edit", {"task": draft, "status": "published"}) == {"updated": 0}
    assert task(url, draft)["status"] == "created"


def test_queues_add_task_sets_the_execution_queue_not_the_status(stack: Stack):
    url = stack.apis[0].url
    queue, draft = new_queue(url), new_task(url)
    body = {"queue": queue, "task": draft, "update_execution_queue": True}
    assert ok(url, "queues.add_task", body) == {"added": 1}
    doc = task(url, draft)
    assert (doc["status"], doc["execution"]["queue"]) == ("created", queue)
