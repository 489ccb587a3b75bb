"""Tenants and credentials from the command line: the default company on a fresh install, and
`taskstream credentials create`.

Seeding is idempotent: the company, its admin user and a pair already registered are left as
they are, and the pair is kept in local_dir/credentials.json so every `up` prints the same one.
Every company gets an admin user (role admin) that owns the pairs issued here.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from api.keys import Pair, hash_secret, new_pair
from commands.tenancy.companies import CreateCompany, CreateUser
from commands.tenancy.credentials import CreateCredentials
from config.settings import Settings
from projections.tenancy import read as tenancy
from streams.kafka.command_bus import RemoteRejection
from taskstream import control

ADMIN_NAME = "admin"
Say = Callable[[str], None]


@dataclass(frozen=True)
class Issued:
    access_key: str
    secret_key: str
    company: str
    company_name: str
    user: str


def admin_user(company: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"taskstream:{company}:{ADMIN_NAME}").hex


def credentials_file(settings: Settings) -> Path:
    return settings.local_dir / "credentials.json"


def conf_file(settings: Settings) -> Path:
    return settings.local_dir / "clearml.conf"


def seed(settings: Settings, say: Say = print) -> Issued:
    """The default company with its admin, default queue and pair; writes the local files."""
    saved = _saved(credentials_file(settings))
    issued = asyncio.run(_seed(settings, saved))
    if saved is None or saved.access_key != issued.access_key:
        say(f"seed: new credentials for company {issued.company_name}")
    _write_private(credentials_file(settings), json.dumps(asdict(issued), indent=2) + "\n")
    conf = clearml_conf(settings.api_url, settings.files_url, issued.access_key, issued.secret_key)
    _write_private(conf_file(settings), conf)
    return issued


async def _seed(settings: Settings, saved: Pair | None) -> Issued:
    company, name = settings.default_company, settings.default_company_name
    async with control.connect(settings) as ctl:
        return await _issue(ctl, company, name, saved)


def create_credentials(
    settings: Settings, company_name: str | None = None, patience_s: float = 30.0
) -> Issued:
    """A new pair for the admin of the company named so (created when new)."""
    name = company_name or settings.default_company_name
    return asyncio.run(_create(settings, name, patience_s))


async def _create(settings: Settings, name: str, patience_s: float) -> Issued:
    async with control.connect(settings, patience_s) as ctl:
        return await _issue(ctl, await company_id(ctl, settings, name), name, None)


async def company_id(ctl: control.Control, settings: Settings, name: str) -> str:
    """The id of the company named so: its own when it exists, else the one it will get."""
    known = await tenancy.company_ids(ctl.store)
    return known.get(name) or _company_id(settings, name)


def _company_id(settings: Settings, name: str) -> str:
    """The default company keeps its configured id; others get one derived from the name, so
    two concurrent creations of one name meet on one partition and create it once."""
    if name == settings.default_company_name:
        return settings.default_company
    return uuid.uuid5(uuid.NAMESPACE_URL, f"taskstream:company:{name}").hex


async def _issue(ctl: control.Control, company: str, name: str, pair: Pair | None) -> Issued:
    user = admin_user(company)
    await ctl.send(control.system(company), CreateCompany(name))
    await ctl.send(control.system(company), CreateUser(user, ADMIN_NAME, "admin"))
    pair = pair or new_pair()
    try:
        await _register(ctl, company, user, pair)
    except RemoteRejection as exc:
        if exc.subcode != 801:
            raise
        pair = new_pair()  # the saved pair was revoked or is taken: never bring it back
        await _register(ctl, company, user, pair)
    return Issued(pair.access_key, pair.secret_key, company, name, user)


async def _register(ctl: control.Control, company: str, user: str, pair: Pair) -> None:
    secret_hash = await asyncio.to_thread(hash_secret, pair.secret_key)
    await ctl.send(control.system(company), CreateCredentials(user, pair.access_key, secret_hash))


def _saved(path: Path) -> Pair | None:
    try:
        data = json.loads(path.read_text())
        return Pair(data["access_key"], data["secret_key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)


def clearml_conf(api_url: str, files_url: str, access_key: str, secret_key: str) -> str:
    """A clearml.conf for the SDK and clearml-agent (CLEARML_CONFIG_FILE=<it>).

    files_server is taskstream's file server, where debug images and artifacts go; it is also
    the default output_uri, so model weights (OutputModel, auto-logged checkpoints) upload there
    too instead of registering a local path. web_server is set so the SDK need not infer one.
    """
    return f"""# taskstream: use with CLEARML_CONFIG_FILE=<this file>, or merge into ~/clearml.conf
api {{
    api_server: {api_url}
    web_server: {api_url}
    files_server: {files_url}
    credentials {{
        access_key: "{access_key}"
        secret_key: "{secret_key}"
    }}
}}
sdk {{ development {{ default_output_uri: "{files_url}" }} }}
"""
