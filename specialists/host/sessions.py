"""Durable, bounded agent sessions: one per (agent, A2A context_id), kept in the store's database."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from agent_framework import AgentSession
from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.database import read_once, sqlite_writer
from agents.identity import keep_newest
from agents.maf_internals import HISTORY_SOURCE_ID
from agents.transcript import CHARS_PER_TOKEN, repair, window

UNBOUNDED = 1 << 30

HISTORY_SOURCE = HISTORY_SOURCE_ID
PENDING_ACTION_KEY = "pending_action"

agent_sessions = Table(
    "agent_sessions",
    MetaData(),
    Column("agent", String(64), primary_key=True),
    Column("context_id", String(128), primary_key=True),
    Column("owner", String(64), primary_key=True),  # the customer id, "" for an anonymous shopper
    Column("data", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class SessionStore:
    """Loads and saves agent sessions, trimming their history to the configured bounds.

    Every save stores a new version of the session, and the store keeps the newest sessions it saved
    with their versions. A caller that names the version it last saw completed (a turn's reply
    carries it) gets this copy when it is exactly that version, without reading the database; any
    other load reads the database, where the sessions of every replica are.
    """

    KEPT = 1024  # the newest sessions this store saved, by (context id, owner)

    def __init__(
        self, engine: AsyncEngine, agent: str, *, max_messages: int, max_chars: int, max_tokens: int = UNBOUNDED
    ) -> None:
        self._engine = engine
        self._agent = agent
        self._max_messages = max_messages
        self._max_chars = max_chars
        self._max_tokens = max_tokens
        self._saved: dict[tuple[str, str], tuple[str, str]] = {}  # (context id, owner) -> (version, data)
        # Built once, values bound at execution: building and cache-keying a statement costs more than running it.
        c = agent_sessions.c
        self._select = select(c.data).where(
            c.agent == bindparam("b_agent"), c.context_id == bindparam("b_context_id"), c.owner == bindparam("b_owner")
        )
        insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(agent_sessions)
        self._upsert = insert.on_conflict_do_update(
            index_elements=[c.agent, c.context_id, c.owner],
            set_={"data": insert.excluded.data, "updated_at": insert.excluded.updated_at},
        )

    @property
    def engine(self) -> AsyncEngine:
        """The database the sessions live in (the specialist's store)."""
        return self._engine

    async def load(self, context_id: str, customer_id: str | None, version: str | None = None) -> AgentSession:
        """The session of `context_id` for this shopper; a fresh one when there is none.

        Sessions are keyed by shopper too, so a context id used by someone else never reveals (or
        overwrites) another shopper's conversation. With `version`, the version of this session the
        caller last saw saved, the store's own copy serves when it is that version.
        """
        owner = customer_id or ""
        saved = self._saved.get((context_id, owner))
        if version and saved is not None and saved[0] == version:
            data: str | None = saved[1]
        else:
            key = {"b_agent": self._agent, "b_context_id": context_id, "b_owner": owner}
            data = await read_once(self._engine, lambda conn: conn.execute(self._select, key).scalar_one_or_none())
        return AgentSession(session_id=context_id) if data is None else AgentSession.from_dict(json.loads(data))

    async def save(self, session: AgentSession, customer_id: str | None) -> str:
        """Trim and store `session` under its id (the A2A context_id), in one statement (an upsert);
        returns the version saved."""
        trim_history(session, self._max_messages, self._max_chars, self._max_tokens)
        owner = customer_id or ""
        data = json.dumps(session.to_dict())
        row = {
            "agent": self._agent,
            "context_id": session.session_id,
            "owner": owner,
            "data": data,
            "updated_at": datetime.now(UTC),
        }
        key = (session.session_id, owner)
        self._saved.pop(key, None)  # until this save is done, the database is the only copy
        if (writer := sqlite_writer(self._engine)) is not None:  # a SQLite file's writes run on its thread
            await writer.run(lambda conn: conn.execute(self._upsert, row))
        else:
            async with self._engine.begin() as conn:
                await conn.execute(self._upsert, row)
        version = uuid.uuid4().hex
        keep_newest(self._saved, key, (version, data), self.KEPT)
        return version


def trim_history(session: AgentSession, max_messages: int, max_chars: int, max_tokens: int = UNBOUNDED) -> None:
    """Keep the newest messages within the bounds, pairs whole and repaired, so a model API accepts them."""
    history: dict[str, Any] = session.state.get(HISTORY_SOURCE) or {}
    messages = history.get("messages") or []
    if not messages:
        return
    budget = min(max_tokens, max_chars // CHARS_PER_TOKEN)
    kept = repair(window(messages, max_messages=max_messages, max_tokens=budget))
    if len(kept) != len(messages):
        history["messages"] = kept
