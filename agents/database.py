"""Async SQLAlchemy engines for SQLite (default) and PostgreSQL, configured the same way everywhere."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from agents.settings import Settings

SQLITE_BUSY_TIMEOUT_S = 30.0
# PostgreSQL connections per process unless `DATABASE_POOL_SIZE`/`DATABASE_MAX_OVERFLOW` say otherwise. The
# orchestrator holds a connection for each of a turn's transactions across the event loop's latency (under load,
# 0.1-1 s: plans/0015), so with 100 turns at once its pool is a queue well before the database is busy; a
# specialist's statements are fewer and its loop idler.
POOL_SIZE = 5
MAX_OVERFLOW = 2
ORCHESTRATOR_POOL_SIZE = 20
ORCHESTRATOR_MAX_OVERFLOW = 5
POOL_TIMEOUT_S = 30.0

T = TypeVar("T")

# A database that refuses to work right now (locked, read-only, unreachable, its pool exhausted).
STORE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, PoolTimeout, OSError)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: no corruption risk, far fewer fsyncs
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def create_engine(
    url: str,
    *,
    pool_size: int = POOL_SIZE,
    max_overflow: int = MAX_OVERFLOW,
    pool_timeout_s: float = POOL_TIMEOUT_S,
) -> AsyncEngine:
    """An async engine for `url`; SQLite files get their folder, WAL, a busy timeout and foreign keys.

    A server database gets a bounded pool: at most `pool_size + max_overflow` connections per
    process (callers wait up to `pool_timeout_s` for one), each checked before use (pre-ping), so a
    restarted server or a connection it dropped costs a reconnect, not a failed turn.
    """
    parsed = make_url(url)
    # Looked up on the module at each call, so the SQL tracing that `agents.telemetry` installs wraps it.
    create_async_engine = sa_asyncio.create_async_engine
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(
            parsed, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout_s
        )
    if parsed.database in (None, "", ":memory:"):
        engine = create_async_engine(parsed, poolclass=StaticPool)
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, pool_size=20, max_overflow=20
        )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class SqliteWriter:
    """Write transactions on one SQLite file, each run whole on the writer's one thread, one after another
    (and reads in one hop on a reader thread).

    SQLite has one write lock for the whole file (every process). Through the async driver every
    statement of a transaction is several round trips through the event loop, and the lock is held
    across all of them, so on a busy loop the lock is held for the loop's latency times the round trips
    (plans/0015). Here the transaction runs synchronously on the writer thread (`BEGIN IMMEDIATE`,
    the work, `COMMIT`): the lock is held for the database's own time, and the caller's loop only
    waits for the result. Writes of this process queue for the thread in order; a write that has
    started completes even if its caller is cancelled.
    """

    def __init__(self, url: str) -> None:
        self._engine = _sync_engine(url)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._reader = _sync_engine(url)
        self._reader_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-reader")

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction on the writer thread and return its result."""
        call = functools.partial(contextvars.copy_context().run, self._transaction, work)
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run `work`, which only reads, on the reader thread (its own connection) and return its result.

        One thread hop for the whole read, where the async driver makes several (connect, execute,
        fetch, close, the pool's rollback); WAL readers never wait for the writer.
        """
        call = functools.partial(contextvars.copy_context().run, self._read, work)
        return await asyncio.get_running_loop().run_in_executor(self._reader_thread, call)

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        with self._engine.begin() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return work(conn)

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self._reader.connect() as conn:
            return work(conn)

    def close(self) -> None:
        """Finish the queued writes and reads, then close the connections."""
        self._thread.shutdown(wait=True)
        self._reader_thread.shutdown(wait=True)
        self._engine.dispose()
        self._reader.dispose()


def _sync_engine(url: str) -> Engine:
    """A synchronous engine of one connection on the SQLite file `url`, usable from one other thread."""
    engine = sqlalchemy.create_engine(
        make_url(url).set(drivername="sqlite"),
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        pool_size=1,
        max_overflow=0,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


_writers: weakref.WeakKeyDictionary[Engine, SqliteWriter] = weakref.WeakKeyDictionary()


def sqlite_writer(engine: AsyncEngine) -> SqliteWriter | None:
    """The writer thread of `engine`'s SQLite file (one per engine, closed when the engine is disposed);
    None for a server database or an in-memory one."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    sync = engine.sync_engine
    if (writer := _writers.get(sync)) is None:
        writer = _writers[sync] = SqliteWriter(url.render_as_string(hide_password=False))
        event.listen(sync, "engine_disposed", _close_writer)
    return writer


async def read_once(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work`, which only reads, on a connection of `engine` and return its result.

    On a SQLite file the whole read is one hop to the file's reader thread (`SqliteWriter.read`), where
    the async driver makes several round trips through the event loop per statement; elsewhere it runs
    on a pooled async connection (`run_sync`).
    """
    if (file := sqlite_writer(engine)) is not None:
        return await file.read(work)
    async with engine.connect() as conn:
        return await conn.run_sync(work)


def _close_writer(engine: Engine) -> None:
    if (writer := _writers.pop(engine, None)) is not None:
        writer.close()


def pool_options(settings: Settings, *, orchestrator: bool = False) -> dict[str, Any]:
    """`create_engine`'s pool keywords from the settings, for the orchestrator or (by default) a specialist.

    Unset sizes take the process's defaults (`ORCHESTRATOR_POOL_SIZE` + `ORCHESTRATOR_MAX_OVERFLOW` for the
    orchestrator, `POOL_SIZE` + `MAX_OVERFLOW` for a specialist). A caller waits for a free connection
    as long as a turn may take: under a burst, turns queue for the pool rather than fail while they
    still have time.
    """
    size, overflow = (ORCHESTRATOR_POOL_SIZE, ORCHESTRATOR_MAX_OVERFLOW) if orchestrator else (POOL_SIZE, MAX_OVERFLOW)
    return {
        "pool_size": size if settings.database_pool_size is None else settings.database_pool_size,
        "max_overflow": overflow if settings.database_max_overflow is None else settings.database_max_overflow,
        "pool_timeout_s": settings.turn_timeout_s,
    }
