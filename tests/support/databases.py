"""Store URLs for tests that share a database between processes: a SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from agents.database import create_engine

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str:
    """The PostgreSQL database the tests use (TEST_POSTGRES_URL overrides)."""
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG_URL)


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (unique name) for one test; dropped afterwards. Skips if unreachable."""
    admin_url = postgres_server_url()
    admin = create_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"test_{uuid.uuid4().hex[:16]}"
    try:
        async with asyncio.timeout(5), admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError, DBAPIError) as exc:
        await admin.dispose()
        pytest.skip(f"PostgreSQL at {admin_url} is unreachable ({type(exc).__name__}: {exc}); set TEST_POSTGRES_URL")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def store_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty store of `backend` ("sqlite" or "postgresql") that several processes can open."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/store.db"
        return
    async with postgres_database() as url:
        yield url
