"""Store fixtures: one seeded store per backend (SQLite file and PostgreSQL) shared by the session.

Query tests only read; tests that change data use `fresh_store`, which reloads the seed afterwards.
Every test module here runs in the session's event loop (asyncpg connections are bound to a loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agents.database import create_engine
from specialists.store import Store, open_store
from specialists.store.seed import load_seed_data, reload_seed
from tests.support.databases import postgres_server_url

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def seed_data() -> dict[str, Any]:
    """The seed file, parsed."""
    return load_seed_data()


async def _prepare_postgres(url: str) -> str | None:
    """Empty the database at `url` (tables and migration history); the reason when it can't be reached."""
    engine = create_engine(url)
    try:
        async with asyncio.timeout(5), engine.connect():
            pass
    except (OSError, TimeoutError, DBAPIError) as exc:
        await engine.dispose()
        return f"PostgreSQL at {url} is unreachable ({type(exc).__name__}: {exc}); set TEST_POSTGRES_URL to test it"
    async with engine.begin() as conn:
        # The whole schema: dropping the store's tables alone would leave the migration history saying
        # they exist, and the store would not be created again.
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    return None


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test PostgreSQL URL (TEST_POSTGRES_URL overrides) with the store's tables dropped; skips if unreachable."""
    url = postgres_server_url()
    reason = asyncio.run(_prepare_postgres(url))
    if reason:
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of the shared store of each backend: a new SQLite file, or the emptied PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('store') / 'data' / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def store(store_url: str) -> AsyncIterator[Store]:
    """A seeded store per backend, shared by every read-only test."""
    opened = await open_store(store_url)
    yield opened
    await opened.close()


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_store(store: Store, seed_data: dict[str, Any]) -> AsyncIterator[Store]:
    """The shared store for a test that changes it; the seed is reloaded afterwards."""
    yield store
    await reload_seed(store.engine, seed_data)
