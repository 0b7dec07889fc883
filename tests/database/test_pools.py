"""Connection pools are bounded by settings, and an exhausted pool never leaves a conversation locked."""

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.exc import TimeoutError as PoolTimeout

from agents.database import create_engine, pool_options
from agents.migrations import migrate
from agents.settings import Settings
from orchestrator.conversation_store import ConversationStore
from orchestrator.tables import conversations
from tests.support.databases import postgres_database


def test_pool_settings_have_defaults_that_fit_up_into_postgres_defaults(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    assert pool_options(Settings()) == {"pool_size": 3, "max_overflow": 2, "pool_timeout_s": 120.0}
    assert pool_options(Settings(), orchestrator=True) == {"pool_size": 3, "max_overflow": 5, "pool_timeout_s": 120.0}
    monkeypatch.delenv("DATABASE_POOL_SIZE")
    orchestrator, specialist = pool_options(Settings(), orchestrator=True), pool_options(Settings())
    assert orchestrator["pool_size"] > specialist["pool_size"], "the orchestrator holds every turn's transactions"
    connections = [orchestrator] + [specialist] * 5  # `up`: one orchestrator, five specialists
    assert sum(p["pool_size"] + p["max_overflow"] for p in connections) <= 100 - 3  # max_connections - reserved


async def test_an_engine_opens_no_more_connections_than_its_pool_allows():
    async with postgres_database() as url:
        engine = create_engine(url, pool_size=2, max_overflow=1, pool_timeout_s=0.3)
        try:
            held = [await engine.connect() for _ in range(3)]
            with pytest.raises(PoolTimeout, match="QueuePool limit"):
                await asyncio.wait_for(engine.connect(), timeout=5)
            for conn in held:
                await conn.close()
        finally:
            await engine.dispose()


async def test_a_lease_is_given_back_once_an_exhausted_pool_frees_a_connection():
    async with postgres_database() as url:
        engine = create_engine(url, pool_size=1, max_overflow=0, pool_timeout_s=0.2)
        try:
            await migrate(engine)
            store = ConversationStore(engine, lease_s=60)
            opened = await store.open_turn(None, None)
            hog = await engine.connect()  # the only connection: the first attempt to release times out

            async def free_soon() -> None:
                await asyncio.sleep(0.3)
                await hog.close()

            freeing = asyncio.create_task(free_soon())
            assert await store.release(opened.conversation_id, opened.lease_owner) is True
            await freeing
            async with engine.connect() as conn:
                busy = await conn.scalar(
                    select(conversations.c.busy_until).where(conversations.c.id == opened.conversation_id)
                )
            assert busy is None, "the lease was given back"
            reopened = await store.open_turn(opened.conversation_id, None)
            assert reopened.conversation_id == opened.conversation_id
        finally:
            await engine.dispose()
