"""`taskstream users create`: a user of a company who logs in to the web app with a password.

The password is read from --password or prompted for (twice) and hashed here; only the hash
is sent, so the password never enters the log. Creating a user again with the same name sets
a new password for the same user.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import uuid
from dataclasses import dataclass

from commands.errors import Rejected
from config.settings import Settings


@dataclass(frozen=True)
class Created:
    company: str
    company_name: str
    user: str
    name: str


def args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("create",))
    parser.add_argument("--company", help="company name (created when new; default: the default)")
    parser.add_argument("--name", required=True, help="the user's name, also their login name")
    parser.add_argument("--role", default="user", choices=("user", "admin"), help="default: user")
    parser.add_argument("--password", help="the password (prompted for when not given)")


def run(settings: Settings, ns: argparse.Namespace) -> int:
    if ":" in ns.name or not ns.name.strip():
        print("taskstream users: a name must not be empty nor contain ':'", file=sys.stderr)
        return 2
    password = ns.password if ns.password is not None else _prompt()
    if not password:
        print("taskstream users: the password must not be empty", file=sys.stderr)
        return 2
    try:
        made = create_user(settings, ns.company, ns.name, password, ns.role)
    except Rejected as exc:  # e.g. another user of the company already has the name
        print(f"taskstream users: {exc.message}", file=sys.stderr)
        return 1
    print(f"company {made.company_name} ({made.company}), user {made.name} ({made.user})")
    return 0


def create_user(
    settings: Settings, company_name: str | None, name: str, password: str, role: str = "user"
) -> Created:
    """The user named so in the company named so (both created when new), with this password."""
    from api.keys import hash_secret

    company_name = company_name or settings.default_company_name
    return asyncio.run(_create(settings, company_name, name, hash_secret(password), role))


async def _create(
    settings: Settings, company_name: str, name: str, hashed: str, role: str
) -> Created:
    from commands.tenancy.companies import CreateCompany, CreateUser
    from commands.tenancy.profile import SetPassword
    from taskstream import control, seed

    async with control.connect(settings) as ctl:
        company = await seed.company_id(ctl, settings, company_name)
        user = user_id(company, name)
        caller = control.system(company)
        await ctl.send(caller, CreateCompany(company_name))
        await ctl.send(caller, CreateUser(user, name, role))
        await ctl.send(caller, SetPassword(user, name, hashed))
    return Created(company, company_name, user, name)


def user_id(company: str, name: str) -> str:
    """Derived from company and name, so creating a user again finds the same one."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"taskstream:{company}:user:{name}").hex


def _prompt() -> str:
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("taskstream users: the passwords differ")
    return first
