"""Specialist sessions: durable per (agent, context, shopper), bounded in messages and size."""

import pytest
from agent_framework import AgentSession, Content, Message

from agents.database import create_engine
from agents.migrations import migrate
from specialists.host.sessions import HISTORY_SOURCE, SessionStore, agent_sessions, trim_history
from tests.support.databases import store_database


def session_with(n: int, text: str = "x") -> AgentSession:
    session = AgentSession(session_id="ctx")
    roles = ["user", "assistant"]
    session.state[HISTORY_SOURCE] = {
        "messages": [Message(roles[i % 2], [Content.from_text(f"{text}{i}")]) for i in range(n)]
    }
    return session


def history(session: AgentSession) -> list[Message]:
    return session.state[HISTORY_SOURCE]["messages"]


def test_trim_keeps_the_newest_messages_from_a_user_turn():
    session = session_with(20)
    trim_history(session, max_messages=8, max_chars=10_000)
    kept = history(session)
    assert len(kept) <= 8 and kept[0].role == "user" and kept[-1].text == "x19"


def test_trim_bounds_the_size():
    session = session_with(30, text="y" * 100)
    trim_history(session, max_messages=100, max_chars=1_000)
    assert sum(len(m.text) for m in history(session)) <= 1_000


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_sessions_survive_a_new_store_and_are_kept_apart_by_shopper(tmp_path, backend):
    async with store_database(backend, tmp_path) as url:
        await _survive_and_keep_apart(url)


async def _survive_and_keep_apart(url: str) -> None:
    engine = create_engine(url)
    store = SessionStore(engine, "order-management", max_messages=10, max_chars=10_000)
    await migrate(engine)
    await store.save(session_with(1, "first"), "CUST-001")  # a new session, then the same one saved again
    await store.save(session_with(3), "CUST-001")
    await engine.dispose()

    engine = create_engine(url)
    store = SessionStore(engine, "order-management", max_messages=10, max_chars=10_000)
    mine = await store.load("ctx", "CUST-001")
    assert [m.text for m in history(mine)] == ["x0", "x1", "x2"]
    assert HISTORY_SOURCE not in (await store.load("ctx", "CUST-002")).state
    assert HISTORY_SOURCE not in (await store.load("ctx", None)).state
    await store.save(session_with(1, "intruder"), "CUST-002")
    assert [m.text for m in history(await store.load("ctx", "CUST-001"))] == ["x0", "x1", "x2"]
    other = SessionStore(engine, "inventory-fulfillment", max_messages=10, max_chars=10_000)
    assert HISTORY_SOURCE not in (await other.load("ctx", "CUST-001")).state
    await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_load_with_the_version_this_store_saved_skips_the_database(tmp_path, backend):
    async with store_database(backend, tmp_path) as url:
        await _versions(url)


async def _versions(url: str) -> None:
    engine = create_engine(url)
    await migrate(engine)
    replica_a = SessionStore(engine, "order-management", max_messages=10, max_chars=10_000)
    replica_b = SessionStore(engine, "order-management", max_messages=10, max_chars=10_000)
    first = await replica_a.save(session_with(1, "a"), "CUST-001")
    # replica B holds no copy: it reads the database, then saves a newer version there
    assert [m.text for m in history(await replica_b.load("ctx", "CUST-001", first))] == ["a0"]
    second = await replica_b.save(session_with(2, "b"), "CUST-001")
    assert second != first
    # A's copy is the older version: asked for the newer one, A reads what B saved
    assert [m.text for m in history(await replica_a.load("ctx", "CUST-001", second))] == ["b0", "b1"]
    # B's copy is the version asked for: it serves without reading (the row is gone, the copy answers)
    async with engine.begin() as conn:
        await conn.execute(agent_sessions.delete())
    assert [m.text for m in history(await replica_b.load("ctx", "CUST-001", second))] == ["b0", "b1"]
    assert HISTORY_SOURCE not in (await replica_b.load("ctx", "CUST-001")).state, "no version: the database"
    assert HISTORY_SOURCE not in (await replica_b.load("ctx", "CUST-002", second)).state, "another shopper's"
    await engine.dispose()
