"""Request schemas of the projects service (ClearML's projects.conf and our handlers)."""

from __future__ import annotations

from api.schemas.common import (
    PAGING,
    Schema,
    anything,
    boolean,
    enum,
    integer,
    key,
    keys,
    obj,
    page_size,
    text,
)

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


PARENTS = {
    **keys(),
    "type": ["array", "string", "null"],
    "items": {**key(), "type": ["string", "null"]},
}
LISTING_FIELDS: dict[str, Schema] = {
    **PAGING,
    "parent": PARENTS,
    "shallow_search": boolean(),
    "search_hidden": boolean(),
    "basename": key(),
}
LISTING = obj(LISTING_FIELDS)
LISTING_EX = obj(
    {
        **LISTING_FIELDS,
        "include_stats": boolean(),
        "stats_with_children": boolean(),
        "check_own_contents": boolean(),
        "stats_for_state": {**enum("active", "archived"), "type": ["string", "null"]},
        "include_stats_filter": anything(),
        "active_users": keys(),
    }
)
PAGE = {"page": integer(), "page_size": page_size(), "include_subprojects": boolean()}
IDS = obj({"ids": keys()}, "ids")
SCHEMAS: dict[str, Schema] = {
    "projects.create": obj(FIELDS, "name"),
    "projects.update": _project(**FIELDS),
    "projects.delete": _project(force=boolean(), delete_contents=boolean()),
    "projects.get_by_id": _project(),
    "projects.get_all": LISTING,
    "projects.get_all_ex": LISTING_EX,
    "projects.get_hyper_parameters": obj({**PAGE, "project": key()}),
    "projects.get_hyperparam_values": obj(
        {**PAGE, "projects": keys(), "section": key(), "name": key(), "pattern": key()},
        "section",
        "name",
    ),
    "projects.get_unique_metric_variants": obj(
        {
            "project": key(),
            "include_subprojects": boolean(),
            "ids": keys(),
            "model_metrics": boolean(),
        }
    ),
    "projects.get_project_tags": obj(
        {"projects": keys(), "include_system": boolean(), "filter": anything()}
    ),
    "projects.validate_delete": _project(),
    "projects.move": _project(new_location=key()),
    "projects.make_public": IDS,
    "projects.make_private": IDS,
}
