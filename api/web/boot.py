"""The start-up JSON files the web app fetches from its root, generated from the settings."""

from __future__ import annotations

from typing import Any

from api.endpoints import SERVER_VERSION
from config.settings import Settings

API_PREFIX = "/api"
FILES_PREFIX = "/files"


def files(
    settings: Settings, credentials: dict[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """name -> JSON body; the app reads each from the root of its origin. credentials.json (the
    web server's key, read only in simple login mode) is served when given."""
    extra = {"credentials.json": credentials} if credentials else {}
    return extra | {
        # same-origin API and files through this server's prefix-cutting proxy; fileBaseUrl is
        # the prefix the app uses to spot file-server links (the SDK's files_server)
        "configuration.json": {
            "apiBaseUrl": API_PREFIX,
            "fileBaseUrl": settings.files_url,
            "hideUpdateNotice": True,
            "accountAdministration": False,
        },
        "version.json": {"version": SERVER_VERSION},
        "onboarding.json": {"onboarding": []},
    }
