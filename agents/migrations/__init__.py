"""The database schema's history (Alembic revisions under `versions/`): migrate to it, or insist on it.

One history covers the whole database: the store, the specialists' agent sessions and the
orchestrator's conversations. Revisions spell their tables out with `op.create_table` and friends
(they import neither side); a test compares the migrated schema with the code's tables.

`migrate` creates or upgrades the schema, one process at a time (a PostgreSQL advisory lock, a lock
file beside a SQLite database), so several processes may run it at once. A database created before
migrations (by `create_all`) is taken as the baseline and upgraded from there. Services only
`require_current`: a schema behind the code stops them with one line saying what to run.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from agents.errors import EcommerceAgentsError

SCRIPT_LOCATION = Path(__file__).parent
BASELINE = "0001_baseline"
BASELINE_TABLES = frozenset({"meta", "agent_sessions", "conversations"})
ADVISORY_LOCK_KEY = 0x6563_6F6D_6D69_67  # any fixed 64-bit number, the same in every process


class SchemaBehind(EcommerceAgentsError):
    """The database's schema is not the one this code needs."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision: the schema this code needs."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migration revisions found")
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> tuple[str | None, str]:
    before = _current(connection)
    config = _config(connection)
    if before is None and BASELINE_TABLES & set(inspect(connection).get_table_names()):
        command.stamp(config, BASELINE)  # made by create_all before migrations existed: that is the baseline
        before = BASELINE
    command.upgrade(config, "head")
    return before, head_revision()


@contextlib.asynccontextmanager
async def _exclusive(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction that no other process migrating the same database holds at once."""
    url = make_url(str(engine.url))
    if url.get_backend_name() == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            yield conn
        return
    lock_path = None if url.database in (None, "", ":memory:") else Path(f"{url.database}.migrate-lock")
    if lock_path is None:
        async with engine.begin() as conn:
            yield conn
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        try:
            async with engine.begin() as conn:
                yield conn
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


async def migrate(engine: AsyncEngine) -> tuple[str | None, str]:
    """Create or upgrade the schema to the head revision; returns (revision before, revision now)."""
    async with _exclusive(engine) as conn:
        return await conn.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The database's revision (None for an empty or pre-migration database)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def require_current(engine: AsyncEngine) -> None:
    """Raise `SchemaBehind` unless the database is at the head revision."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise SchemaBehind(
            f"the database schema is at {current or 'no revision'}, this code needs {head}: "
            "run `ecommerce-agents migrate` first"
        )
