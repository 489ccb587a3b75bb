"""Credential pairs, login and impersonation, against the real app in process (aiohttp_client):
a company, its users and a pair are written straight into the scratch keyspace's tenancy
tables as their projection writes them, so no worker is needed to verify a Basic pair."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

import jwt
import pytest

from api import keys
from api.endpoints import MAX_VERSION
from config.settings import Settings
from projections.mutations import Upsert
from projections.tenancy import rows as tenancy
from streams.cassandra.store import Store
from tests.integration.edge_app import meta, server

pytestmark = pytest.mark.integration
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
async def company(test_settings: Settings) -> dict[str, str]:
    """A fresh company with an admin holding a pair, and a plain user."""
    company = f"c{secrets.token_hex(8)}"
    pair = keys.new_pair()
    rows = [
        Upsert(tenancy.COMPANIES, {"id": company, "name": "In Process", "created": NOW}),
        *(user(company, name, role) for name, role in (("boss", "admin"), ("intern", "user"))),
        Upsert(
            tenancy.CREDENTIALS,
            {
                "company": company,
                "user_id": "boss",
                "access_key": pair.access_key,
                "secret_hash": keys.hash_secret(pair.secret_key),
                "created": NOW,
            },
        ),
    ]
    store = await Store.connect(test_settings)
    await store.apply(rows)
    await store.close()
    return {"id": company, "key": pair.access_key, "secret": pair.secret_key}


def user(company: str, name: str, role: str) -> Upsert:
    values = {"company": company, "id": name, "name": name.title(), "role": role, "created": NOW}
    return Upsert(tenancy.USERS, values)


def basic(key: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}


@pytest.fixture
async def client(aiohttp_client, test_settings):
    return await aiohttp_client(server(test_settings))


async def current_user(client, headers: dict[str, str]) -> dict:
    response = await client.post("/users.get_current_user", json={}, headers=headers)
    assert (await meta(response))["result_code"] == 200
    return (await response.json())["data"]["user"]


async def test_a_basic_pair_identifies_its_owner_on_any_endpoint(client, company):
    me = await current_user(client, basic(company["key"], company["secret"]))
    assert (me["id"], me["name"], me["role"]) == ("boss", "Boss", "admin")
    assert me["company"] == {"id": company["id"], "name": "In Process"}


async def test_a_wrong_secret_is_401_22_even_after_the_right_one_was_verified(client, company):
    await current_user(client, basic(company["key"], company["secret"]))
    wrong = basic(company["key"], company["secret"][:-1] + "?")
    answer = await meta(await client.post("/users.get_current_user", json={}, headers=wrong))
    assert (answer["result_code"], answer["result_subcode"]) == (401, 22)


async def test_login_answers_a_token_with_the_claims_clients_read_and_sets_the_cookie(
    client, company, test_settings
):
    headers = basic(company["key"], company["secret"])
    response = await client.get("/auth.login", params={"expiration_sec": 600}, headers=headers)
    assert (await meta(response))["result_code"] == 200
    token = (await response.json())["data"]["token"]
    claims = jwt.decode(token, test_settings.token_secret, algorithms=["HS256"])
    assert (claims["api_version"], claims["feature_set"]) == (MAX_VERSION, "basic")
    assert claims["exp"] - claims["iat"] == 600
    assert claims["identity"]["user"] == "boss"
    assert response.cookies["clearml_token_basic"].value == token
    me = await current_user(client, {"Authorization": f"Bearer {token}"})
    assert me["id"] == "boss"


async def test_a_login_token_lasts_30_days_by_default(client, company):
    response = await client.get("/auth.login", headers=basic(company["key"], company["secret"]))
    claims = jwt.decode(
        (await response.json())["data"]["token"], options={"verify_signature": False}
    )
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600


@pytest.mark.parametrize("version", ["1.0", "2.0", "2.1", MAX_VERSION])
async def test_login_is_served_at_every_api_version_from_1_0(client, company, version):
    headers = basic(company["key"], company["secret"])
    answer = await meta(await client.get(f"/v{version}/auth.login", headers=headers))
    assert answer["result_code"] == 200
    assert answer["endpoint"]["actual_version"] == "1.0"


@pytest.mark.parametrize("expiration", [0, -1, 366 * 24 * 3600])
async def test_login_refuses_an_expiration_beyond_a_year(client, company, expiration):
    headers = basic(company["key"], company["secret"])
    params = {"expiration_sec": expiration}
    answer = await meta(await client.get("/auth.login", params=params, headers=headers))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)


@pytest.mark.parametrize(
    ("header", "name", "role"),
    [("X-ClearML-Impersonate-As", "Intern", "user"),  # the chosen user's own token
     ("X-ClearML-Act-As", "Boss (acting as Intern)", "admin")],
)  # fmt: skip
async def test_an_admin_impersonates_or_acts_as_a_user_of_its_company(
    client, company, header, name, role
):
    headers = {**basic(company["key"], company["secret"]), header: "intern"}
    response = await client.get("/auth.login", headers=headers)
    token = (await response.json())["data"]["token"]
    who = jwt.decode(token, options={"verify_signature": False})["identity"]
    assert (who["user"], who["user_name"], who["role"]) == ("intern", name, role)
