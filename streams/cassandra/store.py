"""The read store adapter: asyncio over cassandra-driver, prepared statements, mutation executor.

Contract: every failure to reach Cassandra (no host, timeouts, unavailable replicas) surfaces
as CassandraUnavailable, which the API answers with 503 and the workers retry. A statement that
Cassandra, or the driver binding its values, refuses for a reason no retry can fix (a key over
64 KiB, a message over the frame limit, a value of the wrong type or range) surfaces as
CassandraRefused: the workers set its rows aside (streams/cassandra/storable.py). Other driver
errors are
bugs and propagate as they are.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from cassandra import (
    ConsistencyLevel,
    InvalidRequest,
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
from cassandra.policies import (
    DCAwareRoundRobinPolicy,
    ExponentialReconnectionPolicy,
    TokenAwarePolicy,
)
from cassandra.query import (
    BatchStatement,
    BatchType,
    BoundStatement,
    PreparedStatement,
    dict_factory,
)

from config.settings import Settings
from infra import clients
from projections.mutations import Mutation
from streams.cassandra.statements import statement
from streams.signals import Signals

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


T = TypeVar("T")
RECONNECT_EVERY_S = 1.0
MAX_BATCH_BYTES = 1024 * 1024  # values per unlogged batch, far below the mutation size limit


class CassandraUnavailable(Exception):  # noqa: N818 - reads as the condition it reports
    pass


class CassandraRefused(Exception):  # noqa: N818 - reads as the condition it reports
    """Cassandra or the driver refuses this statement's values; sending it again cannot help."""


def connect_cluster(settings: Settings) -> Cluster:
    profile = ExecutionProfile(
        load_balancing_policy=TokenAwarePolicy(
            DCAwareRoundRobinPolicy(local_dc=settings.cassandra_local_dc)
        ),
        row_factory=dict_factory,
        request_timeout=10,
        consistency_level=ConsistencyLevel.name_to_value[settings.cassandra_consistency],
    )
    return Cluster(
        settings.cassandra_contact_points,
        port=settings.cassandra_port,
        protocol_version=5,
        execution_profiles={EXEC_PROFILE_DEFAULT: profile},
        connect_timeout=5,
        # the default backs off to 10 minutes; an outage should heal within seconds of its end
        reconnection_policy=ExponentialReconnectionPolicy(0.5, 5.0),
        # re-preparing on reconnect issues USE <keyspace> on pooled connections, which mixes
        # with our per-statement keyspaces; an unknown statement is re-prepared on first use
        reprepare_on_up=False,
        **clients.cassandra(settings),
    )


class Store:
    """A session that connects on first use and retries (at most once a second) while
    Cassandra is down, so processes start, answer 503 and recover by themselves (G7).

    Statements name tables without a keyspace; each runs in the keyspace it is given, or in
    `self.keyspace`, which follows the blue/green pointer in long-running processes
    (streams/cassandra/pointer.py). The session itself has no keyspace: Cassandra 5 advises against
    mixing a session keyspace with per-statement ones."""

    def __init__(
        self,
        settings: Settings,
        keyspace: str | None = None,
        concurrency: int = 64,
        signals: Signals | None = None,
    ):
        self.settings = settings
        self.signals = signals or Signals()
        self.keyspace = keyspace or settings.keyspace
        self._cluster: Cluster | None = None
        self._session: Session | None = None
        self._connecting = asyncio.Lock()
        self._next_attempt = 0.0
        self._prepared: dict[tuple[str, str], PreparedStatement] = {}
        self._limit = asyncio.Semaphore(concurrency)
        # set by readers that follow the pointer: where to read, asked on every (re)connect
        self.resolve_keyspace: Callable[[Session], str] | None = None

    @classmethod
    async def connect(cls, settings: Settings, keyspace: str | None = None) -> Store:
        """A store that is connected now (raises CassandraUnavailable otherwise)."""
        store = cls(settings, keyspace)
        await store.session()
        return store

    async def session(self) -> Session:
        if self._session is not None:
            return self._session
        async with self._connecting:
            if self._session is None:
                self._session = await self._connect()
        return self._session

    async def _connect(self) -> Session:
        if time.monotonic() < self._next_attempt:
            raise CassandraUnavailable("Cassandra unreachable; reconnecting")
        cluster = connect_cluster(self.settings)
        try:
            session = await asyncio.to_thread(cluster.connect)
            if self.resolve_keyspace is not None:
                self.keyspace = await asyncio.to_thread(self.resolve_keyspace, session)
        except UNAVAILABLE as exc:
            await asyncio.to_thread(cluster.shutdown)
            self._next_attempt = time.monotonic() + RECONNECT_EVERY_S
            self.signals.cassandra_errors.labels("connect").inc()
            raise CassandraUnavailable(str(exc)) from exc
        self._cluster = cluster
        return session

    async def check(self) -> None:
        """Raises CassandraUnavailable unless a node answers a query now (readiness probes)."""
        await self.execute("SELECT release_version FROM system.local")

    def key_columns(self, table: str) -> tuple[str, ...]:
        """The primary key columns of a table in this store's keyspace, from the driver's
        schema metadata (no round trip); empty before the first connect."""
        keyspace = self._cluster.metadata.keyspaces.get(self.keyspace) if self._cluster else None
        found = keyspace.tables.get(table) if keyspace else None
        return tuple(column.name for column in found.primary_key) if found else ()

    async def close(self) -> None:
        if self._cluster is not None:
            await asyncio.to_thread(self._cluster.shutdown)

    async def prepare(self, cql: str, keyspace: str | None = None) -> PreparedStatement:
        session = await self.session()  # first: connecting may resolve self.keyspace
        key = (keyspace or self.keyspace, cql)
        statement = self._prepared.get(key)
        if statement is None:
            try:
                statement = await asyncio.to_thread(session.prepare, cql, None, key[0])
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
        bound = bind(await self.prepare(cql, keyspace), params)
        bound.fetch_size = fetch_size
        session = await self.session()
        async with self._limit:
            return await self._counted(_all_pages(session.execute_async(bound)))

    async def drop_keyspace(self, keyspace: str, timeout_s: float = 120.0) -> None:
        """Drop a keyspace: a schema change waits on every node and may take far longer than
        a query's timeout on a busy machine."""
        session = await self.session()
        await _all_pages(
            session.execute_async(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=timeout_s)
        )

    async def execute_many(
        self, statements: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[list[dict[str, Any]]]:
        """Several independent statements at once (bounded by the store's concurrency limit)."""
        return list(await asyncio.gather(*(self.execute(cql, ps) for cql, ps in statements)))

    async def pages(
        self, cql: str, params: Sequence[Any] = (), keyspace: str | None = None, size: int = 2000
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The rows of a large result one page at a time (full-table scans)."""
        bound = bind(await self.prepare(cql, keyspace), params)
        bound.fetch_size = size
        loop = asyncio.get_running_loop()
        arrived: asyncio.Queue[list[dict[str, Any]] | BaseException] = asyncio.Queue()
        response = (await self.session()).execute_async(bound)
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

    async def apply_grouped(
        self,
        writes: Iterable[tuple[Mutation, int | None]],
        partitions: dict[str, tuple[str, ...]] | None = None,
        keyspaces: Sequence[str] | None = None,
    ) -> None:
        """Like apply_each, one unlogged batch per Cassandra partition (a single mutation on
        the server). `partitions` names each table's partition key columns; by default
        (company, task)."""
        groups: dict[tuple[Any, ...], list[list[tuple[str, list[Any]]]]] = {}
        sizes: dict[tuple[Any, ...], int] = {}
        for mutation, ts in writes:
            values = getattr(mutation, "values", None) or getattr(mutation, "key", {})
            columns = (partitions or {}).get(mutation.table, ("company", "task"))
            key = (mutation.table, *(values.get(c) for c in columns))
            cql, params = statement(mutation, ts)
            size = sum(len(p) for p in params if isinstance(p, bytes | str))
            chunks = groups.setdefault(key, [[]])
            # Cassandra refuses a mutation over half a commit log segment (4 MiB here)
            if chunks[-1] and sizes.get(key, 0) + size > MAX_BATCH_BYTES:
                chunks.append([])
                sizes[key] = 0
            chunks[-1].append((cql, params))
            sizes[key] = sizes.get(key, 0) + size
        await asyncio.gather(
            *(
                self._batch(chunk, keyspace)
                for keyspace in keyspaces or [self.keyspace]
                for chunks in groups.values()
                for chunk in chunks
            )
        )

    async def apply_batched(
        self,
        writes: Iterable[tuple[Mutation, int | None]],
        most: int = 10,
        max_bytes: int = 4096,
        keyspaces: Sequence[str] | None = None,
    ) -> None:
        """Like apply_each, in unlogged batches of up to `most` small statements of one table:
        one round trip each instead of one per statement (every statement keeps its own write
        timestamp). A statement larger than `max_bytes` goes alone: Cassandra warns about
        batches from 5 KiB and refuses them from 50 KiB; `most` stays under its warning about
        batches spanning more than 10 partitions."""
        chunks: dict[str, list[list[tuple[str, list[Any]]]]] = {}
        alone: list[tuple[str, list[Any]]] = []
        for mutation, ts in writes:
            cql, params = statement(mutation, ts)
            if _size(params) > max_bytes:
                alone.append((cql, params))
                continue
            table = chunks.setdefault(mutation.table, [[]])
            if len(table[-1]) >= most or _size_all(table[-1]) + _size(params) > max_bytes:
                table.append([])
            table[-1].append((cql, params))
        groups = [chunk for table in chunks.values() for chunk in table if chunk]
        targets = keyspaces or [self.keyspace]
        await asyncio.gather(
            *(self._batch(group, keyspace) for keyspace in targets for group in groups),
            *(self.execute(c, p, keyspace=k) for k in targets for c, p in alone),
        )

    async def _batch(self, statements: list[tuple[str, list[Any]]], keyspace: str) -> None:
        if len(statements) == 1:
            await self.execute(*statements[0], keyspace=keyspace)
            return
        batch = BatchStatement(batch_type=BatchType.UNLOGGED)
        for cql, params in statements:
            batch.add(bind(await self.prepare(cql, keyspace), params))
        session = await self.session()
        async with self._limit:
            await self._counted(_all_pages(session.execute_async(batch)))

    async def _counted(self, result: Awaitable[T]) -> T:
        try:
            return await result
        except CassandraUnavailable:
            self.signals.cassandra_errors.labels("unavailable").inc()
            raise
        except CassandraRefused:
            self.signals.cassandra_errors.labels("refused").inc()
            raise


def _size(params: list[Any]) -> int:
    """Roughly how many bytes the bound values take (strings and collections dominate)."""
    return sum(len(str(p)) for p in params)


def _size_all(statements: list[tuple[str, list[Any]]]) -> int:
    return sum(_size(params) for _cql, params in statements)


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


def bind(statement: PreparedStatement, params: Sequence[Any]) -> BoundStatement:
    """The statement with its values serialized; values of the wrong type or range (a bool for
    text, 2**31 for an int, a lone surrogate, a partition key part over 64 KiB, which the
    driver cannot pack for routing) are refused here, before anything is sent."""
    try:
        bound = statement.bind(params)
        _ = bound.routing_key  # packed now, cached for routing: a part over 64 KiB fails here
    except Exception as exc:
        raise CassandraRefused(f"cannot bind values: {type(exc).__name__}: {exc}") from exc
    return bound


def _unavailable(exc: BaseException) -> BaseException:
    if isinstance(exc, UNAVAILABLE):
        return CassandraUnavailable(str(exc))
    if isinstance(exc, InvalidRequest):  # e.g. "Key length of 70000 is longer than maximum"
        return CassandraRefused(str(exc))
    return exc


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
