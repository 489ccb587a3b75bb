"""Request schemas of auth, users, organization, server, debug and audit."""

from __future__ import annotations

from api.schemas.common import Schema, anything, array, integer, key, obj
from commands.tenancy.profile import PROFILE_FIELDS

KEY = {"access_key": key()}
ENTITIES = ("projects", "tasks", "models", "datasets", "pipelines", "reports")
SCHEMAS: dict[str, Schema] = {
    "auth.login": obj({"expiration_sec": integer(0)}),
    "auth.logout": obj(),
    "auth.create_credentials": obj({"label": key()}),
    "auth.get_credentials": obj(),
    "auth.edit_credentials": obj({**KEY, "label": key()}, "access_key"),
    "auth.revoke_credentials": obj(KEY, "access_key"),
    "auth.fixed_users_mode": obj(),
    "users.get_current_user": obj(),
    "users.get_all_ex": obj({"id": array(key()), "only_fields": array(key())}),
    "users.get_all": obj({"id": array(key()), "only_fields": array(key())}),
    "auth.create_user": obj(
        {
            "name": key(),
            "company": key(),
            "email": key(),
            "role": key(),
            "given_name": key(),
            "family_name": key(),
            "avatar": key(),
        },
        "name",
        "company",
    ),
    "projects.get_user_names": obj(
        {"projects": array(key()), "include_subprojects": {"type": "boolean"}}
    ),
    "users.get_preferences": obj(),
    "users.set_preferences": obj({"preferences": obj()}, "preferences"),
    "users.update": obj({"user": key(), **{f: key() for f in PROFILE_FIELDS}}),
    "organization.get_entities_count": obj(
        {name: obj() for name in ENTITIES} | {"search_hidden": {"type": "boolean"}}
    ),
    "server.info": obj(),
    "server.report_stats_option": obj({"enabled": {"type": "boolean"}}),
    "login.supported_modes": obj(),
    "login.logout": obj({"redirect_url": {"type": ["string", "null"], "maxLength": 2048}}),
    "server.lag": obj(),
    "debug.ping": obj({"msg": anything()}),
    "audit.get_history": obj({"type": key(), "id": key()}, "type", "id"),
}
