"""Async SQLAlchemy engines for SQLite (default) and PostgreSQL, configured the same way everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from agents.settings import Settings

SQLITE_BUSY_TIMEOUT_S = 30.0
POOL_SIZE = 5
MAX_OVERFLOW = 2
POOL_TIMEOUT_S = 30.0

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


def pool_options(settings: Settings) -> dict[str, Any]:
    """`create_engine`'s pool keywords from the settings.

    A caller waits for a free connection as long as a turn may take: under a burst, turns queue for
    the pool rather than fail while they still have time.
    """
    return {
        "pool_size": settings.database_pool_size,
        "max_overflow": settings.database_max_overflow,
        "pool_timeout_s": settings.turn_timeout_s,
    }
