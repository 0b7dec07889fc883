"""Async SQLAlchemy engines for SQLite (default) and PostgreSQL, configured the same way everywhere."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_S = 30.0
_SCHEMA_ATTEMPTS = 5


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: no corruption risk, far fewer fsyncs
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`; SQLite files get their folder, WAL, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database in (None, "", ":memory:"):
        engine = create_async_engine(parsed, poolclass=StaticPool)
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, pool_size=20, max_overflow=20
        )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


async def create_tables(engine: AsyncEngine, metadata: MetaData) -> None:
    """Create `metadata`'s tables if missing, retrying when a process starting beside this one wins the race."""
    for attempt in range(1, _SCHEMA_ATTEMPTS + 1):
        try:
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            return
        except DBAPIError:
            if attempt == _SCHEMA_ATTEMPTS:
                raise
            await asyncio.sleep(0.05 * attempt)
