"""Who is calling. Until credentials exist (control-plane issue) every call acts for the
default company's admin user; the seam is `authenticate`."""

from __future__ import annotations

from aiohttp import web

from api.call import Identity
from api.services import Services


async def authenticate(request: web.Request, services: Services) -> Identity:
    settings = services.settings
    return Identity(
        company=settings.default_company,
        user="__admin__",
        role="admin",
        user_name="admin",
        company_name=settings.default_company_name,
    )
