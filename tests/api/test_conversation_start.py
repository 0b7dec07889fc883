"""A client-named conversation (an AG-UI thread) starts on its first turn, once, on SQLite and PostgreSQL."""

import asyncio

import pytest

from agents.database import create_engine
from agents.migrations import migrate
from orchestrator.conversation_store import ConversationBusy, ConversationNotFound, ConversationStore
from tests.support.databases import store_database


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_named_conversation_starts_once(backend, tmp_path):
    async with store_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate(engine)
            store = ConversationStore(engine, lease_s=60)
            with pytest.raises(ConversationNotFound):
                await store.open_turn("thread-1", None)

            results = await asyncio.gather(
                *(store.open_turn("thread-1", "CUST-001", start_if_missing=True) for _ in range(2)),
                return_exceptions=True,
            )
            assert sorted(type(r).__name__ for r in results) == ["ConversationBusy", "OpenedTurn"]
            opened = next(r for r in results if not isinstance(r, BaseException))
            assert (opened.conversation_id, opened.turns, opened.checkpoint_id) == ("thread-1", 0, None)

            await store.release("thread-1", opened.lease_owner)
            again = await store.open_turn("thread-1", "CUST-001", start_if_missing=True)
            assert again.conversation_id == "thread-1", "an existing thread is continued, not started again"
            with pytest.raises(ConversationBusy):
                await store.open_turn("thread-1", "CUST-001", start_if_missing=True)
            await store.release("thread-1", again.lease_owner)
            with pytest.raises(ConversationNotFound):
                await store.open_turn("thread-1", "CUST-002", start_if_missing=True)
        finally:
            await engine.dispose()
