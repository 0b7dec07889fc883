"""A turn's lease: taken in one statement, owned, short-lived, renewed while the turn runs (SQLite and PostgreSQL)."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from agents.database import create_engine
from agents.migrations import migrate
from orchestrator.conversation_store import (
    ConversationBusy,
    ConversationStore,
    LeaseLost,
    OpenedTurn,
    Reply,
)
from orchestrator.tables import conversation_messages, conversations
from tests.support.databases import store_database
from tests.support.system import running_system, system_settings


@pytest.fixture(params=["sqlite", "postgresql"])
async def engines(request, tmp_path) -> AsyncIterator[list]:
    """Four engines on one new database, as four orchestrator replicas would have."""
    async with store_database(request.param, tmp_path) as url:
        opened = [create_engine(url) for _ in range(4)]
        await migrate(opened[0])
        try:
            yield opened
        finally:
            for engine in opened:
                await engine.dispose()


async def new_conversation(store: ConversationStore) -> str:
    opened = await store.open_turn(None, None)
    await store.release(opened.conversation_id, opened.lease_owner)
    return opened.conversation_id


async def test_of_many_turns_racing_for_a_conversation_exactly_one_takes_the_lease(engines):
    stores = [ConversationStore(e, lease_s=30) for e in engines]
    conversation = await new_conversation(stores[0])
    for _ in range(3):
        results = await asyncio.gather(
            *(stores[i % len(stores)].open_turn(conversation, None) for i in range(24)), return_exceptions=True
        )
        won = [r for r in results if isinstance(r, OpenedTurn)]
        assert len(won) == 1, results
        assert all(isinstance(r, ConversationBusy) for r in results if r is not won[0])
        await stores[0].release(conversation, won[0].lease_owner)


async def test_an_expired_lease_goes_to_the_next_turn_and_the_old_owner_can_neither_release_nor_write(engines):
    crashed, replica = ConversationStore(engines[0], lease_s=0.5), ConversationStore(engines[1], lease_s=30)
    conversation = await new_conversation(replica)
    stale = await crashed.open_turn(conversation, None, message="where is my order?")
    assert stale.message_id is not None
    with pytest.raises(ConversationBusy):
        await replica.open_turn(conversation, None)
    await asyncio.sleep(0.8)

    taken = await replica.open_turn(conversation, None)
    assert taken.lease_owner != stale.lease_owner
    assert not await crashed.renew(conversation, stale.lease_owner)
    await crashed.release(conversation, stale.lease_owner)
    with pytest.raises(ConversationBusy):
        await replica.open_turn(conversation, None)
    with pytest.raises(LeaseLost):
        await crashed.close_turn(stale, stale.message_id, [Reply("assistant", "orchestrator", "late answer")], turns=1)

    assert await replica.renew(conversation, taken.lease_owner)
    await replica.release(conversation, taken.lease_owner)
    async with engines[2].connect() as conn:
        texts = (await conn.execute(select(conversation_messages.c.text))).scalars().all()
        turns = (await conn.execute(select(conversations.c.turns))).scalar_one()
    assert texts == ["where is my order?"], "the stale turn wrote nothing"
    assert turns == 0
    transcript = await replica.transcript(conversation, None)
    assert [(m["text"], m["status"]) for m in transcript["messages"]] == [("where is my order?", "unanswered")]


async def test_renewals_asked_for_at_once_are_one_transaction_and_each_gets_its_own_answer(engines, monkeypatch):
    store = ConversationStore(engines[0], lease_s=30)
    opened = [await store.open_turn(None, None) for _ in range(6)]
    async with engines[1].connect() as conn:
        c = conversations.c
        before = dict((await conn.execute(select(c.id, c.busy_until))).all())
    transactions = 0
    write = store._write

    async def counted(work):
        nonlocal transactions
        transactions += 1
        return await write(work)

    monkeypatch.setattr(store, "_write", counted)
    renewals = [store.renew(o.conversation_id, o.lease_owner) for o in opened]
    renewed = await asyncio.gather(*renewals, store.renew(opened[0].conversation_id, "not-its-owner"))
    assert renewed == [True] * 6 + [False]
    assert transactions == 1
    async with engines[1].connect() as conn:
        after = dict((await conn.execute(select(c.id, c.busy_until))).all())
    assert all(after[o.conversation_id] > before[o.conversation_id] for o in opened), "every lease was extended"
    assert await store.renew(opened[1].conversation_id, opened[1].lease_owner), "and renewing goes on afterwards"


async def test_a_turn_longer_than_its_lease_keeps_it_by_renewing(tmp_path):
    settings = system_settings(tmp_path, conversation_lease_s=1, offline_token_delay_ms=60)
    async with running_system(settings) as system:
        conversation = (await system.chat("Is OUT-300 in stock?")).json()["conversation_id"]
        first = asyncio.create_task(system.chat("Can it ship to eu-central?", conversation))
        expiries, refused = set(), 0
        c = conversations.c
        while not first.done():
            await asyncio.sleep(0.3)
            async with system.service.engine.connect() as conn:
                expiry = (await conn.execute(select(c.busy_until).where(c.id == conversation))).scalar_one()
            if first.done():
                break
            expiries.add(expiry)
            second = await system.chat("and to us-east?", conversation)
            if not first.done():
                assert second.status_code == 409, second.text
                refused += 1
        assert (await first).status_code == 200
        assert len(expiries - {None}) >= 3, "the turn outlived its 1 s lease several times and renewed it"
        assert refused >= 3
        assert (await system.chat("and to us-east?", conversation)).status_code == 200
