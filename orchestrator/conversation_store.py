"""Where conversations are kept: who may see one, its lease, its transcript and the turn's one transaction.

A database lease makes a second message to a busy conversation fail fast (`ConversationBusy`) instead
of corrupting it. A turn ends in one transaction that writes its transcript, the checkpoint the next
turn resumes and the conversation's state, and gives the lease back; a failed turn writes only its
transcript, so the last good checkpoint stays in place.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from orchestrator.checkpoints import ConversationCheckpoints, Window
from orchestrator.tables import conversation_messages, conversations

logger = logging.getLogger(__name__)

RELEASE_ATTEMPTS = 4
RELEASE_BACKOFF_S = 0.25


class ConversationNotFound(LookupError):
    """No conversation with that id belongs to this shopper."""


class ConversationBusy(RuntimeError):
    """The conversation is answering another message."""


@dataclass(frozen=True)
class OpenedTurn:
    """A conversation whose lease this turn holds, and where its workflow resumes."""

    conversation_id: str
    pending_request_id: str | None
    checkpoint_id: str | None
    turns: int


class ConversationStore:
    """The conversations' rows: ownership, lease, transcript and the transaction that closes a turn."""

    def __init__(self, engine: AsyncEngine, *, lease_s: float) -> None:
        self._engine = engine
        self._lease_s = lease_s

    def checkpoints(self, conversation_id: str, *, window: Window) -> ConversationCheckpoints:
        """The workflow checkpoint storage of one turn of `conversation_id`."""
        return ConversationCheckpoints(self._engine, conversation_id, window=window)

    async def open_turn(
        self, conversation_id: str | None, customer_id: str | None, *, start_if_missing: bool = False
    ) -> OpenedTurn:
        """Take the conversation's lease.

        A None id starts a new conversation, and so does an unknown id with `start_if_missing` (for
        clients that name their own threads); of two starts of one id at once, one wins and the other
        is `ConversationBusy`.
        """
        now = datetime.now(UTC)
        lease_until = now + timedelta(seconds=self._lease_s)
        c = conversations.c
        async with self._engine.begin() as conn:
            row = None
            if conversation_id is not None:
                row = (await conn.execute(select(conversations).where(c.id == conversation_id))).first()
            if row is None and (conversation_id is None or start_if_missing):
                conversation_id = conversation_id or uuid.uuid4().hex
                try:
                    await conn.execute(
                        conversations.insert().values(
                            id=conversation_id,
                            customer_id=customer_id,
                            created_at=now,
                            updated_at=now,
                            turns=0,
                            busy_until=lease_until,
                        )
                    )
                except IntegrityError:
                    raise ConversationBusy(conversation_id) from None
                return OpenedTurn(conversation_id, None, None, 0)
            if row is None or (row.customer_id is not None and row.customer_id != customer_id):
                raise ConversationNotFound(conversation_id)
            taken = await conn.execute(
                update(conversations)
                .where(c.id == conversation_id, or_(c.busy_until.is_(None), c.busy_until < now))
                .values(busy_until=lease_until)
            )
            if taken.rowcount == 0:
                raise ConversationBusy(conversation_id)
        return OpenedTurn(conversation_id, row.pending_request_id, row.checkpoint_id, row.turns)

    async def transcript(self, conversation_id: str, customer_id: str | None) -> dict[str, Any]:
        """The conversation's messages with their authors, oldest first."""
        c, m = conversations.c, conversation_messages.c
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(conversations).where(c.id == conversation_id))).first()
            if row is None or (row.customer_id is not None and row.customer_id != customer_id):
                raise ConversationNotFound(conversation_id)
            messages = (
                await conn.execute(
                    select(m.turn, m.role, m.author, m.text, m.created_at)
                    .where(m.conversation_id == conversation_id)
                    .order_by(m.id)
                )
            ).all()
        return {
            "conversation_id": conversation_id,
            "created_at": row.created_at.isoformat(),
            "turns": row.turns,
            "last_agent": row.last_agent,
            "messages": [
                {"turn": r.turn, "role": r.role, "author": r.author, "text": r.text, "at": r.created_at.isoformat()}
                for r in messages
            ],
        }

    async def close_turn(
        self,
        conversation_id: str,
        turn: int,
        text: str,
        replies: list[dict[str, str]],
        *,
        checkpoints: ConversationCheckpoints | None = None,
        checkpoint_id: str | None = None,
        **state: Any,
    ) -> None:
        """One transaction: the transcript, the checkpoint and conversation `state` if any, the lease given back."""
        now = datetime.now(UTC)
        rows = [{"role": "user", "author": "shopper", "text": text}, *replies]
        async with self._engine.begin() as conn:
            if checkpoints is not None and checkpoint_id is not None:
                await checkpoints.persist(conn, checkpoint_id)
                state["checkpoint_id"] = checkpoint_id
            await conn.execute(
                conversation_messages.insert(),
                [{"conversation_id": conversation_id, "turn": turn, "created_at": now, **r} for r in rows],
            )
            await conn.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(updated_at=now, busy_until=None, **state)
            )

    async def release(self, conversation_id: str) -> bool:
        """Give the conversation's lease back, retrying briefly; False when the database would not take it.

        A pool momentarily exhausted or a dropped connection must not leave the conversation locked
        until its lease runs out; when every attempt fails, the lease's lifetime frees it.
        """
        for attempt in range(1, RELEASE_ATTEMPTS + 1):
            try:
                async with self._engine.begin() as conn:
                    await conn.execute(
                        update(conversations).where(conversations.c.id == conversation_id).values(busy_until=None)
                    )
                return True
            except (SQLAlchemyError, OSError) as exc:
                logger.warning(
                    "giving back the lease of %s failed (%d/%d): %s", conversation_id, attempt, RELEASE_ATTEMPTS, exc
                )
                if attempt < RELEASE_ATTEMPTS:
                    await asyncio.sleep(RELEASE_BACKOFF_S * attempt)
        return False
