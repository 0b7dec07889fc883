"""Opening the store: the async engine and its sessions, schema creation and first-start seeding."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from agents.database import create_engine, create_tables
from specialists.store.schema import Base, Meta
from specialists.store.seed import load_seed_data, seed_store


class Store:
    """An open store: the async engine, a session factory and the store's own "today" (the seed's `as_of`)."""

    def __init__(self, engine: AsyncEngine, today: date) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(engine, expire_on_commit=False)
        self.today = today

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


async def open_store(url: str, *, seed: bool = True, **pool: Any) -> Store:
    """Open the store at `url`, creating the tables and (when `seed`) loading the seed into an empty database.

    `pool` sizes a server database's connection pool (`create_engine`'s keywords).
    """
    engine = create_engine(url, **pool)
    try:
        await create_tables(engine, Base.metadata)
        if seed:
            await seed_store(engine, load_seed_data())
        today = await read_today(engine)
    except BaseException:
        await engine.dispose()
        raise
    return Store(engine, today)
