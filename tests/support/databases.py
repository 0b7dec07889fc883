"""Store URLs for tests that share a database between processes: a SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from agents.database import create_engine
from agents.migrations import migrate
from benchmarks.topology import temporary_postgres_database

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str:
    """The PostgreSQL database the tests use (TEST_POSTGRES_URL overrides)."""
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG_URL)


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (unique name) for one test; dropped afterwards. Skips if unreachable."""
    admin_url = postgres_server_url()
    async with AsyncExitStack() as stack:
        try:
            url = await stack.enter_async_context(temporary_postgres_database(admin_url))
        except (OSError, TimeoutError, DBAPIError) as exc:
            pytest.skip(
                f"PostgreSQL at {admin_url} is unreachable ({type(exc).__name__}: {exc}); set TEST_POSTGRES_URL"
            )
        yield url


async def migrated(url: str) -> str:
    """Bring the database at `url` to the current schema (as `ecommerce-agents migrate` does, without the seed)."""
    engine = create_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    return url


@asynccontextmanager
async def store_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty store of `backend` ("sqlite" or "postgresql") that several processes can open."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/store.db"
        return
    async with postgres_database() as url:
        yield url
