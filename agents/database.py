"""Async SQLAlchemy engines for SQLite (default) and PostgreSQL, configured the same way everywhere."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_PREFIX = "sqlite+aiosqlite:///"


def create_engine(url: str) -> AsyncEngine:
    """An engine for `url`; a SQLite file gets its folder, WAL journaling and a busy timeout."""
    if not url.startswith(SQLITE_PREFIX):
        return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    path = url.removeprefix(SQLITE_PREFIX)
    if path and ":memory:" not in path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine
