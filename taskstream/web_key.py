"""The web server's key for the app's simple login (login_mode "simple"), as ClearML's webserver
credentials: a pair of a system-role user of the default company, served as credentials.json.

The app uses it only to list the company's users, create one and log in as one of them
(impersonation stays within the key's company). Created by `taskstream web` on start, kept in
local_dir/web-credentials.json (private) and reused while it is still registered.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

from api.keys import Pair, hash_secret, new_pair
from commands.tenancy.companies import CreateCompany, CreateUser
from commands.tenancy.credentials import CreateCredentials
from config.settings import Settings
from streams.kafka.command_bus import RemoteRejection
from taskstream import control

NAME = "webserver"
ROLE = "system"


def key_file(settings: Settings) -> Path:
    return settings.local_dir / "web-credentials.json"


def webserver_user(company: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"taskstream:{company}:{NAME}").hex


def ensure(settings: Settings) -> dict[str, str]:
    """credentials.json for the app: {userKey, userSecret, companyID} of the web server's key."""
    path = key_file(settings)
    saved = _saved(path)
    pair = asyncio.run(_issue(settings, saved))
    body = {
        "userKey": pair.access_key,
        "userSecret": pair.secret_key,
        "companyID": settings.default_company,
    }
    if saved != pair:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(json.dumps(body, indent=2) + "\n")
    return body


async def _issue(settings: Settings, saved: Pair | None) -> Pair:
    company = settings.default_company
    caller = control.system(company)
    async with control.connect(settings) as ctl:
        await ctl.send(caller, CreateCompany(settings.default_company_name))
        await ctl.send(caller, CreateUser(webserver_user(company), NAME, ROLE))
        pair = saved or new_pair()
        try:
            await _register(ctl, company, pair)
        except RemoteRejection as exc:
            if exc.subcode != 801:
                raise
            pair = new_pair()  # the saved pair was revoked: never bring it back
            await _register(ctl, company, pair)
    return pair


async def _register(ctl: control.Control, company: str, pair: Pair) -> None:
    secret_hash = await asyncio.to_thread(hash_secret, pair.secret_key)
    user = webserver_user(company)
    await ctl.send(control.system(company), CreateCredentials(user, pair.access_key, secret_hash))


def _saved(path: Path) -> Pair | None:
    try:
        data = json.loads(path.read_text())
        return Pair(data["userKey"], data["userSecret"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
