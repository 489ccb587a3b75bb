"""login.* and server.report_stats_option: what the web app asks before and around logging in.

The app's password form sends its two fields as Basic credentials to auth.login; here they are an
access key and its secret (the pair `taskstream credentials` prints), or a user's login name and
password (`taskstream users create`), checked as on any call. In simple mode (login_mode) the
app's form asks for a name only and logs in with the web server's key (api/clearml/users/simple.py).
"""

from __future__ import annotations

from typing import Any

from api.auth import COOKIE
from api.call import Call
from api.endpoints import SERVER_VERSION, Endpoint
from api.services import Services


async def supported_modes(call: Call, svc: Services) -> dict[str, Any]:
    """basic.enabled false is ClearML's mode without fixed users: the app's name-only form."""
    return {
        "basic": {"enabled": not svc.settings.simple_login, "guest": {"enabled": False}},
        "sso": {},
        "sso_providers": [],
        "server_errors": {"missed_es_upgrade": False, "es_connection_error": False},
        "authenticated": call.identity is not None,
    }


async def logout(call: Call, _svc: Services) -> dict[str, Any]:
    call.cookies[COOKIE] = None
    return {}


async def report_stats_option(_call: Call, _svc: Services) -> dict[str, Any]:
    """No usage statistics are ever sent from here."""
    return {"supported": False, "enabled": False, "current_version": SERVER_VERSION}


ENDPOINTS = [
    Endpoint("login.supported_modes", supported_modes, "2.8", authorize=False, identify=True),
    Endpoint("login.logout", logout, min_version="2.13"),
    Endpoint("server.report_stats_option", report_stats_option, min_version="2.12"),
]
