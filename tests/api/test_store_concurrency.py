"""Under load every write of the conversation store waits for the database's lock instead of failing.

Break 7: 1,000 requests at concurrency 50 against `up` on SQLite gave `database is locked` in
`open_turn`. Here six engines on one SQLite file (the six processes of `up`) run 500 turns at
concurrency 50 through the store's whole write path, and every write is made to wait behind a held
write lock.
"""

import asyncio
import random
from collections import Counter

from sqlalchemy import text

from agents.database import create_engine
from agents.migrations import migrate
from orchestrator.conversation_store import ConversationBusy, ConversationStore, Reply

TURNS, CONCURRENCY, PROCESSES = 500, 50, 6


async def test_500_turns_at_concurrency_50_from_six_processes_all_succeed_or_are_busy(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/store.db"
    engines = [create_engine(url) for _ in range(PROCESSES)]
    await migrate(engines[0])
    stores = [ConversationStore(e, lease_s=30) for e in engines]
    outcomes: Counter[str] = Counter()
    conversations: list[str] = []
    try:
        for i in range(CONCURRENCY // 2):  # two shoppers' tabs per conversation, so some turns meet a busy one
            opened = await stores[i % PROCESSES].open_turn(None, None)
            await stores[i % PROCESSES].release(opened.conversation_id, opened.lease_owner)
            conversations.append(opened.conversation_id)

        async def shopper(worker: int) -> None:
            rng = random.Random(worker)
            for n in range(TURNS // CONCURRENCY):
                store = stores[rng.randrange(PROCESSES)]
                conversation = conversations[worker % len(conversations)]
                try:
                    opened = await store.open_turn(conversation, None, message=f"message {n} of {worker}")
                except ConversationBusy:
                    outcomes["busy"] += 1
                    continue
                except Exception as exc:
                    outcomes[f"{type(exc).__name__}: {exc}"] += 1
                    continue
                try:
                    assert await store.renew(conversation, opened.lease_owner)
                    replies = [Reply("assistant", "inventory-fulfillment", "In stock. " * rng.randrange(1, 50))]
                    await store.close_turn(opened, opened.message_id, replies, turns=opened.number)
                    await store.transcript(conversation, None)
                    outcomes["answered"] += 1
                except Exception as exc:
                    outcomes[f"{type(exc).__name__}: {exc}"] += 1
                    await store.release(conversation, opened.lease_owner)

        await asyncio.gather(*(shopper(w) for w in range(CONCURRENCY)))
    finally:
        for engine in engines:
            await engine.dispose()
    assert set(outcomes) <= {"answered", "busy"}, outcomes
    assert outcomes["answered"] + outcomes["busy"] == TURNS
    assert outcomes["answered"] >= TURNS // 4


async def test_every_write_waits_behind_another_process_holding_the_write_lock(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/store.db"
    holder, engine = create_engine(url), create_engine(url)
    await migrate(engine)
    store = ConversationStore(engine, lease_s=30)
    try:
        existing = await store.open_turn(None, "CUST-001")
        await store.release(existing.conversation_id, existing.lease_owner)
        held, release = asyncio.Event(), asyncio.Event()

        async def hold_the_write_lock() -> None:
            async with holder.begin() as conn:
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
                await conn.execute(text("UPDATE conversations SET turns = turns"))
                held.set()
                await release.wait()

        async def one_turn() -> list[str]:
            await held.wait()
            opened = await store.open_turn(existing.conversation_id, "CUST-001", message="Is OUT-300 in stock?")
            fresh = await store.open_turn(None, "CUST-002")
            renewed = await store.renew(opened.conversation_id, opened.lease_owner)
            await store.close_turn(opened, opened.message_id, [Reply("assistant", "orchestrator", "yes")], turns=1)
            await store.release(fresh.conversation_id, fresh.lease_owner)
            transcript = await store.transcript(opened.conversation_id, "CUST-001")
            assert renewed
            return [m["status"] for m in transcript["messages"]]

        holding = asyncio.create_task(hold_the_write_lock())
        turn = asyncio.create_task(one_turn())
        await held.wait()
        await asyncio.sleep(1.0)
        assert not turn.done(), "the turn waits for the lock"
        release.set()
        await holding
        assert await turn == ["unanswered", "complete"], "recorded, and closed without a checkpoint"
    finally:
        await holder.dispose()
        await engine.dispose()
