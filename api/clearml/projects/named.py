"""A project by name for calls that move things into one (tasks.move, models.move): found, or
created as ClearML creates it when the name is new."""

from __future__ import annotations

from api.call import Call
from api.clearml.tasks.replies import send
from api.services import Services
from commands.projects.messages import CreateProject
from projections.projects import read as projects


async def found_or_created(call: Call, svc: Services, name: str) -> str:
    found = await projects.id_named(svc.store, call.who.company, name)
    return found or (await send(call, svc, CreateProject(name=name)))["id"]
