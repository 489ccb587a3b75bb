"""Request schemas of the projects service (ClearML's projects.conf and our handlers)."""

from __future__ import annotations

from api.schemas.common import PAGING, Schema, boolean, key, keys, obj, text

PROJECT = {"project": key()}
FIELDS: dict[str, Schema] = {
    "name": key(),
    "description": text(),
    "tags": keys(),
    "system_tags": keys(),
    "default_output_destination": text(),
}


def _project(**more: Schema) -> Schema:
    return obj({**PROJECT, **more}, "project")


LISTING = obj({**PAGING, "parent": keys(), "shallow_search": boolean(), "basename": key()})
SCHEMAS: dict[str, Schema] = {
    "projects.create": obj(FIELDS, "name"),
    "projects.update": _project(**FIELDS),
    "projects.delete": _project(force=boolean(), delete_contents=boolean()),
    "projects.get_by_id": _project(),
    "projects.get_all": LISTING,
    "projects.get_all_ex": LISTING,
}
