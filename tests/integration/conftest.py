"""Fixtures of the in-process API tests: the real app under aiohttp_client, signed in as the
default company's admin, and a store on the session's keyspace for seeding read models."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from config.settings import Settings
from streams.cassandra.store import Store
from tests.integration.edge_app import bearer, server


@pytest.fixture
async def client(aiohttp_client, test_settings):
    """The app in process with an admin's Bearer token on every request (no worker needed for
    reads and rejected calls; commands need the session's `stack`)."""
    http = await aiohttp_client(server(test_settings))
    http.session.headers.update(bearer(test_settings))
    return http


@pytest.fixture(scope="module")
async def store(test_settings: Settings) -> AsyncIterator[Store]:
    store = await Store.connect(test_settings)
    yield store
    await store.close()
