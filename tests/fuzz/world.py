"""The fuzzing company's objects, which generated requests may name by id."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

from tests.stack import ok


@dataclass(frozen=True)
class World:
    task: str
    queue: str
    project: str
    worker: str

    def ids(self) -> dict[str, str]:
        return {"task": self.task, "queue": self.queue, "project": self.project,
                "worker": self.worker, "tasks": self.task, "queues": self.queue,
                "projects": self.project}  # fmt: skip


def create(url: str) -> World:
    tag = secrets.token_hex(4)
    project = ok(url, "projects.create", {"name": f"fuzz-{tag}", "description": ""})["id"]
    worker = f"fuzz-worker-{tag}"
    queue = new_queue(url)
    ok(url, "workers.register", {"worker": worker, "queues": [queue]})
    return World(new_task(url, project), queue, project, worker)


def renewed(world: World, schema: dict[str, Any], url: str) -> World:
    """The world with a task and a queue of their own for an endpoint that names them, so one
    endpoint's deletes and state changes do not leave the next one only "not found"."""
    named = schema.get("properties", {}).keys()
    if named & {"task", "tasks"}:
        world = replace(world, task=new_task(url, world.project))
    if named & {"queue", "queues"}:
        world = replace(world, queue=new_queue(url))
    return world


def new_task(url: str, project: str) -> str:
    body = {"name": f"fuzz-{secrets.token_hex(4)}", "type": "training", "project": project}
    return ok(url, "tasks.create", body)["id"]


def new_queue(url: str) -> str:
    return ok(url, "queues.create", {"name": f"fuzz-{secrets.token_hex(4)}"})["id"]
