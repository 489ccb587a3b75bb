"""The read store adapter: asyncio over cassandra-driver, prepared statements, mutation executor.

Contract: every failure to reach Cassandra (no host, timeouts, unavailable replicas) surfaces
as CassandraUnavailable, which the API answers with 503 and the workers retry; other driver
errors (bad CQL, schema mismatch) are bugs and propagate as they are.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from cassandra import (
    OperationTimedOut,
    ReadFailure,
    ReadTimeout,
    Unavailable,
    WriteFailure,
    WriteTimeout,
)
from cassandra.cluster import (
    EXEC_PROFILE_DEFAULT,
    Cluster,
    ExecutionProfile,
    NoHostAvailable,
    ResponseFuture,
    Session,
)
from cassandra.policies import DCAwareRoundRobinPolicy, TokenAwarePolicy
from cassandra.query import PreparedStatement, dict_factory

from projections.mutations import Mutation
from streams.statements import statement
from taskstream.settings import Settings

UNAVAILABLE = (
    NoHostAvailable,
    OperationTimedOut,
    Unavailable,
    ReadTimeout,
    WriteTimeout,
    ReadFailure,
    WriteFailure,
    ConnectionError,
)


class CassandraUnavailable(Exception):  # noqa: N818 - reads as the condition it reports
    pass


def connect_cluster(settings: Settings) -> Cluster:
    profile = ExecutionProfile(
        load_balancing_policy=TokenAwarePolicy(DCAwareRoundRobinPolicy(local_dc="datacenter1")),
        row_factory=dict_factory,
        request_timeout=10,
    )
    return Cluster(
        [settings.cassandra_host],
        port=settings.cassandra_port,
        protocol_version=5,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        connect_timeout=5,
    )


class Store:
    """Statements name tables without a keyspace; each runs in the keyspace it is given, or in
    `self.keyspace`, which follows the blue/green pointer in long-running processes."""

    def __init__(
        self, cluster: Cluster, session: Session, keyspace: str, concurrency: int = 64
    ) -> None:
        self.cluster = cluster
        self.session = session
        self.keyspace = keyspace
        self._prepared: dict[tuple[str, str], PreparedStatement] = {}
        self._limit = asyncio.Semaphore(concurrency)

    @classmethod
    async def connect(cls, settings: Settings, keyspace: str | None = None) -> Store:
        cluster = connect_cluster(settings)
        keyspace = keyspace or settings.keyspace
        try:
            # no session keyspace: every statement names its own (see prepare), as Cassandra 5
            # advises against mixing the two
            session = await asyncio.to_thread(cluster.connect)
        except UNAVAILABLE as exc:
            cluster.shutdown()
            raise CassandraUnavailable(str(exc)) from exc
        return cls(cluster, session, keyspace)

    async def close(self) -> None:
        await asyncio.to_thread(self.cluster.shutdown)

    async def prepare(self, cql: str, keyspace: str | None = None) -> PreparedStatement:
        key = (keyspace or self.keyspace, cql)
        statement = self._prepared.get(key)
        if statement is None:
            try:
                statement = await asyncio.to_thread(self.session.prepare, cql, None, key[0])
            except UNAVAILABLE as exc:
                raise CassandraUnavailable(str(exc)) from exc
            self._prepared[key] = statement
        return statement

    async def execute(
        self,
        cql: str,
        params: Sequence[Any] = (),
        fetch_size: int = 5000,
        keyspace: str | None = None,
    ) -> list[dict[str, Any]]:
        """Run one statement and return every row, following pages."""
        statement = await self.prepare(cql, keyspace)
        bound = statement.bind(params)
        bound.fetch_size = fetch_size
        async with self._limit:
            return await _all_pages(self.session.execute_async(bound))

    async def pages(
        self, cql: str, params: Sequence[Any] = (), keyspace: str | None = None, size: int = 2000
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The rows of a large result one page at a time (full-table scans)."""
        bound = (await self.prepare(cql, keyspace)).bind(params)
        bound.fetch_size = size
        loop = asyncio.get_running_loop()
        arrived: asyncio.Queue[list[dict[str, Any]] | BaseException] = asyncio.Queue()
        response = self.session.execute_async(bound)
        response.add_callbacks(  # the driver calls these again for every page fetched
            lambda page: loop.call_soon_threadsafe(arrived.put_nowait, list(page or ())),
            lambda exc: loop.call_soon_threadsafe(arrived.put_nowait, _unavailable(exc)),
        )
        while True:
            page = await arrived.get()
            if isinstance(page, BaseException):
                raise page
            yield page
            if not response.has_more_pages:
                return
            response.start_fetching_next_page()

    async def apply(
        self,
        mutations: Iterable[Mutation],
        timestamp: int | None = None,
        keyspaces: Sequence[str] | None = None,
    ) -> None:
        """Apply mutations concurrently, in each of `keyspaces` (default: `self.keyspace`).

        With a `timestamp` (a log position) every cell is written at that write time, so the
        mutation of a later event wins whatever order the writes arrive in, and re-applying a
        replayed event changes nothing. Without one, Cassandra's clock decides.
        """
        await self.apply_each([(m, timestamp) for m in mutations], keyspaces)

    async def apply_each(
        self,
        writes: Iterable[tuple[Mutation, int | None]],
        keyspaces: Sequence[str] | None = None,
    ) -> None:
        """Apply mutations concurrently, each at its own write timestamp."""
        statements = [statement(m, ts) for m, ts in writes]
        await asyncio.gather(
            *(
                self.execute(cql, params, keyspace=keyspace)
                for keyspace in keyspaces or [self.keyspace]
                for cql, params in statements
            )
        )


async def _all_pages(response: ResponseFuture) -> list[dict[str, Any]]:
    loop = asyncio.get_running_loop()
    done: asyncio.Future[list[dict[str, Any]]] = loop.create_future()
    rows: list[dict[str, Any]] = []

    def on_page(page: list[dict[str, Any]] | None) -> None:
        # runs on the driver's IO thread, which swallows exceptions: never let one escape
        try:
            rows.extend(page or ())
            if response.has_more_pages:
                response.start_fetching_next_page()
                return
        except Exception as exc:
            loop.call_soon_threadsafe(_settle, done, None, exc)
            return
        loop.call_soon_threadsafe(_settle, done, rows, None)

    def on_error(exc: Exception) -> None:
        loop.call_soon_threadsafe(_settle, done, None, _unavailable(exc))

    response.add_callbacks(on_page, on_error)
    return await done


def _unavailable(exc: BaseException) -> BaseException:
    return CassandraUnavailable(str(exc)) if isinstance(exc, UNAVAILABLE) else exc


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
