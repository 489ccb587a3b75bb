"""Request schemas of auth, users, server, debug and audit."""

from __future__ import annotations

from api.schemas.common import Schema, anything, array, integer, key, obj

KEY = {"access_key": key()}
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
    "projects.get_user_names": obj(
        {"projects": array(key()), "include_subprojects": {"type": "boolean"}}
    ),
    "server.info": obj(),
    "server.report_stats_option": obj({"enabled": {"type": "boolean"}}),
    "login.supported_modes": obj(),
    "login.logout": obj({"redirect_url": {"type": ["string", "null"], "maxLength": 2048}}),
    "server.lag": obj(),
    "debug.ping": obj({"msg": anything()}),
    "audit.get_history": obj({"type": key(), "id": key()}, "type", "id"),
}
