"""Opening the store: the async engine and its sessions, schema creation and first-start seeding."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from agents import migrations
from agents.database import create_engine, read_once
from specialists.store.schema import Meta
from specialists.store.seed import load_seed_data, seed_store

T = TypeVar("T")


class Store:
    """An open store: the async engine, a session factory and the store's own "today" (the seed's `as_of`)."""

    def __init__(self, engine: AsyncEngine, today: date) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(engine, expire_on_commit=False)
        self.today = today

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run `work`, which only reads, with a synchronous ORM session, and return its result.

        It runs as `agents.database.read_once` runs a read: on a SQLite file in one hop to the file's
        reader thread. The session is closed afterwards: objects `work` returns are detached, their loaded
        columns still readable, their unloaded relationships not.
        """

        def in_session(conn: Connection) -> T:
            with Session(bind=conn, expire_on_commit=False) as session:
                return work(session)

        return await read_once(self.engine, in_session)

    def now(self) -> datetime:
        """The store's clock: `today` at the wall clock's UTC time of day."""
        return datetime.combine(self.today, datetime.now(UTC).time(), tzinfo=UTC)

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()


async def read_today(engine: AsyncEngine) -> date:
    """The seed's `as_of` date, or the wall clock's UTC date for a store without one."""
    async with engine.connect() as conn:
        as_of = await conn.scalar(select(Meta.value).where(Meta.key == "as_of"))
    return date.fromisoformat(as_of) if as_of else datetime.now(UTC).date()


async def prepare_store(engine: AsyncEngine, *, seed: bool = True) -> tuple[str | None, str]:
    """Migrate the database to the current schema and (when `seed`) load the seed if it is empty.

    Safe when several processes do it at once. Returns the schema revisions before and after.
    """
    revisions = await migrations.migrate(engine)
    if seed:
        await seed_store(engine, load_seed_data())
    return revisions


async def open_store(url: str, *, migrate: bool = True, seed: bool = True, **pool: Any) -> Store:
    """Open the store at `url`; `pool` sizes a server database's connection pool (`create_engine`'s keywords).

    With `migrate` (tests, tools) the schema is brought up to date first and, with `seed`, an empty
    store seeded. Services pass `migrate=False`: a schema behind the code raises `SchemaBehind`.
    """
    engine = create_engine(url, **pool)
    try:
        if migrate:
            await prepare_store(engine, seed=seed)
        else:
            await migrations.require_current(engine)
        today = await read_today(engine)
    except BaseException:
        await engine.dispose()
        raise
    return Store(engine, today)
