"""Where conversations are kept: who may see one, its lease, its transcript and the turn's one transaction.

- **Ownership.** A conversation belongs to the first signed-in shopper who posts in it; from then on it
  is invisible (`ConversationNotFound`) to everyone else, anonymous shoppers included. An unclaimed
  conversation is open to whoever holds its id.
- **Lease.** One turn at a time: the lease is taken, the conversation claimed, in one atomic `UPDATE`,
  so two turns can never both believe they hold it. It has an owner (the turn's id) and a short
  lifetime the running turn renews; only its owner renews or releases it, so a crashed orchestrator
  frees the conversation within one lifetime, on any replica.
- **Transcript.** The shopper's message is written with the lease (`pending`, same transaction); the turn's end
  marks it `answered` and writes the replies, the checkpoint the next turn resumes and the
  conversation's state in one transaction, fenced by the lease. A failed turn marks it `unanswered`
  and keeps what the shopper was told; a crashed one leaves it `pending`, reported as `unanswered`.

Database trouble escapes as `StoreUnavailable`. On SQLite every write transaction starts with
`BEGIN IMMEDIATE`, so it waits (busy timeout) for the write lock instead of failing on upgrade, and
runs whole on the file's writer thread, so the lock is not held across the event loop's turns.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from agents.database import STORE_ERRORS, sqlite_writer
from agents.errors import EcommerceAgentsError
from orchestrator.checkpoints import ConversationCheckpoints, Window
from orchestrator.tables import conversation_messages, conversations, workflow_checkpoints

logger = logging.getLogger(__name__)
T = TypeVar("T")

RELEASE_ATTEMPTS = 4
RELEASE_BACKOFF_S = 0.25
PENDING, ANSWERED, UNANSWERED = "pending", "answered", "unanswered"
COMPLETE, INTERRUPTED = "complete", "interrupted"

# The hot statements are built once, their values bound at execution: building a statement and
# computing its cache key costs several times more than running it (plans/0013, round three). An
# `UPDATE` without `values()` sets the columns its parameters name; `b_*` parameters are the WHERE's.
_c, _m = conversations.c, conversation_messages.c
# Conversations a shopper may see: unclaimed ones and, signed in (`b_customer`), their own.
_VISIBLE: dict[bool, ColumnElement[bool]] = {
    False: _c.customer_id.is_(None),
    True: or_(_c.customer_id.is_(None), _c.customer_id == bindparam("b_customer")),
}
_TAKE = {
    signed_in: update(conversations)
    .where(_c.id == bindparam("b_id"), visible, or_(_c.busy_until.is_(None), _c.busy_until < bindparam("b_now")))
    .returning(_c.pending_request_id, _c.checkpoint_id, _c.turns)
    for signed_in, visible in _VISIBLE.items()
}
_HELD = update(conversations).where(_c.id == bindparam("b_id"), _c.lease_owner == bindparam("b_owner"))
_OWNER = select(_c.customer_id).where(_c.id == bindparam("b_id"))
_CHECKPOINT = select(workflow_checkpoints.c.data).where(
    workflow_checkpoints.c.id == bindparam("b_checkpoint"), workflow_checkpoints.c.conversation_id == bindparam("b_id")
)
_CRASHED = update(conversation_messages).where(_m.conversation_id == bindparam("b_id"), _m.status == PENDING)
_NEW_MESSAGE = conversation_messages.insert().returning(_m.id)
_OUTCOME = update(conversation_messages).where(_m.id == bindparam("b_message"))


class ConversationNotFound(EcommerceAgentsError, LookupError):
    """No conversation with that id belongs to this shopper."""


class ConversationBusy(EcommerceAgentsError):
    """The conversation is answering another message."""


class LeaseLost(EcommerceAgentsError):
    """The turn's lease expired and was taken by another turn; this turn's results are not written."""


class StoreUnavailable(EcommerceAgentsError):
    """The conversation store can't be reached or written (locked, read-only, connection refused, pool exhausted)."""


@dataclass(frozen=True)
class OpenedTurn:
    """A conversation whose lease this turn holds, and where its workflow resumes."""

    conversation_id: str
    lease_owner: str
    pending_request_id: str | None
    checkpoint_id: str | None
    turns: int
    checkpoint_data: str | None = None  # the stored checkpoint, read with the lease (`ConversationCheckpoints.load`)
    message_id: int | None = None  # the shopper's message, written `pending` with the lease

    @property
    def number(self) -> int:
        """This turn's number in the transcript."""
        return self.turns + 1


@dataclass(frozen=True)
class Reply:
    """One message of a turn's answer as the transcript keeps it."""

    role: str
    author: str
    text: str
    status: str = COMPLETE


class ConversationStore:
    """The conversations' rows: ownership, lease, transcript and the transaction that closes a turn."""

    def __init__(self, engine: AsyncEngine, *, lease_s: float) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        # An in-memory SQLite store shares one connection: its write transactions queue here, in order.
        self._sqlite_writer = asyncio.Lock()
        self.lease_s = lease_s
        # Renewals waiting for the next renewing transaction, by (conversation, owner), and the task writing them.
        self._renewals: dict[tuple[str, str], list[asyncio.Future[bool]]] = {}
        self._renewing: asyncio.Task[None] | None = None

    def checkpoints(self, conversation_id: str, *, window: Window) -> ConversationCheckpoints:
        """The workflow checkpoint storage of one turn of `conversation_id`."""
        return ConversationCheckpoints(self._engine, conversation_id, window=window)

    async def open_turn(
        self,
        conversation_id: str | None,
        customer_id: str | None,
        *,
        message: str | None = None,
        start_if_missing: bool = False,
    ) -> OpenedTurn:
        """Take the lease of `conversation_id`, claiming it for a signed-in shopper, and in the same transaction
        read the checkpoint its turn resumes and write the shopper's `message` as `pending` (earlier crashed
        ones become `unanswered`).

        A None id starts a new conversation, and so does an unknown id with `start_if_missing` (for
        clients that name their own threads); of two starts of one id at once, one wins and the other
        is `ConversationBusy`. Nothing is written when the lease is not taken.
        """
        now = _now()
        owner = uuid.uuid4().hex
        lease = {"busy_until": now + timedelta(seconds=self.lease_s), "lease_owner": owner}
        said = _shopper_message(message, now)
        if conversation_id is None:
            return await self._start(uuid.uuid4().hex, customer_id, now, lease, said)
        claim = {"customer_id": customer_id, "b_customer": customer_id} if customer_id is not None else {}
        take = {"b_id": conversation_id, "b_now": now, **lease, **claim}
        opened = await self._write(lambda conn: _take(conn, customer_id is not None, take, owner, said))
        if opened is not None:
            return opened
        async with self._read() as conn:
            found = (await conn.execute(_OWNER, {"b_id": conversation_id})).first()
        if found is None and start_if_missing:
            return await self._start(conversation_id, customer_id, now, lease, said)
        if found is None or found.customer_id not in (None, customer_id):
            raise ConversationNotFound(conversation_id)
        raise ConversationBusy(conversation_id)

    async def _start(
        self,
        conversation_id: str,
        customer_id: str | None,
        now: datetime,
        lease: dict[str, Any],
        said: dict[str, Any] | None,
    ) -> OpenedTurn:
        row = {"id": conversation_id, "customer_id": customer_id, "created_at": now, "updated_at": now, "turns": 0}

        def start(conn: Connection) -> int | None:
            conn.execute(conversations.insert(), {**row, **lease})
            return _insert_message(conn, conversation_id, 1, said) if said is not None else None

        try:
            message_id = await self._write(start)
        except IntegrityError:
            raise ConversationBusy(conversation_id) from None
        return OpenedTurn(conversation_id, lease["lease_owner"], None, None, 0, message_id=message_id)

    async def renew(self, conversation_id: str, owner: str) -> bool:
        """Extend the lease by its lifetime; False when `owner` no longer holds it.

        Renewals asked for while another renewal is being written go together in the next transaction:
        under load many turns renew at once, and each would otherwise be a transaction (a writer-thread
        hop and a commit) of its own.
        """
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._renewals.setdefault((conversation_id, owner), []).append(waiter)
        if self._renewing is None or self._renewing.done():
            self._renewing = asyncio.create_task(self._renew_waiting(), name="lease-renewals")
        return await waiter

    async def _renew_waiting(self) -> None:
        """Write the waiting renewals, one transaction for all that waited, until none wait."""
        while self._renewals:
            batch, self._renewals = self._renewals, {}
            try:
                renewed = await self._write(
                    partial(_extend, keys=list(batch), until=_now() + timedelta(seconds=self.lease_s))
                )
            except Exception as exc:  # the callers' error (StoreUnavailable), each raised where it waits
                for waiters in batch.values():
                    for waiter in waiters:
                        if not waiter.done():
                            waiter.set_exception(exc)
                continue
            for key, waiters in batch.items():
                for waiter in waiters:
                    if not waiter.done():  # its turn may have ended (the heartbeat cancelled) meanwhile
                        waiter.set_result(renewed[key])

    async def release(self, conversation_id: str, owner: str) -> bool:
        """Give the lease back if `owner` still holds it, retrying briefly; False when the database would not take it.

        A pool momentarily exhausted or a dropped connection should not leave the conversation locked
        until its lease runs out; when every attempt fails, the lease's short lifetime frees it.
        """
        give_back = {"b_id": conversation_id, "b_owner": owner, "busy_until": None, "lease_owner": None}
        for attempt in range(1, RELEASE_ATTEMPTS + 1):
            try:
                await self._write(lambda conn: conn.execute(_HELD, give_back))
                return True
            except StoreUnavailable as exc:
                logger.warning(
                    "giving back the lease of %s failed (%d/%d): %s", conversation_id, attempt, RELEASE_ATTEMPTS, exc
                )
                if attempt < RELEASE_ATTEMPTS:
                    await asyncio.sleep(RELEASE_BACKOFF_S * attempt)
        return False

    async def close_turn(
        self,
        opened: OpenedTurn,
        message_id: int,
        replies: list[Reply],
        *,
        checkpoints: ConversationCheckpoints | None = None,
        checkpoint_id: str | None = None,
        **state: Any,
    ) -> None:
        """One transaction, fenced by the lease: the message's outcome, the replies, the checkpoint and `state`.

        With a checkpoint the turn was answered; without, it failed and the conversation state stays
        as it was. The lease is given back. `LeaseLost` (nothing written) when another turn holds it.
        """
        now = _now()
        # Encoded before the transaction opens: the pooled connection is not held for the CPU work.
        encoded = checkpoints.encode(checkpoint_id) if checkpoints is not None and checkpoint_id is not None else None
        if encoded is not None:
            state["checkpoint_id"] = checkpoint_id
        fence = {
            "b_id": opened.conversation_id,
            "b_owner": opened.lease_owner,
            "updated_at": now,
            "busy_until": None,
            "lease_owner": None,
            **state,
        }
        outcome = {"b_message": message_id, "status": ANSWERED if checkpoint_id is not None else UNANSWERED}
        rows = [
            {
                "conversation_id": opened.conversation_id,
                "turn": opened.number,
                "created_at": now,
                "role": r.role,
                "author": r.author,
                "text": r.text,
                "status": r.status,
            }
            for r in replies
        ]

        def close(conn: Connection) -> None:
            if conn.execute(_HELD, fence).rowcount == 0:
                raise LeaseLost(opened.conversation_id)
            if checkpoints is not None and encoded is not None:
                checkpoints.persist(conn, encoded)
            conn.execute(_OUTCOME, outcome)
            if rows:
                conn.execute(conversation_messages.insert(), rows)

        await self._write(close)

    async def transcript(self, conversation_id: str, customer_id: str | None) -> dict[str, Any]:
        """The conversation's messages with their authors and status, oldest first."""
        c, m = _c, _m
        answering = (c.busy_until.is_not(None) & (c.busy_until > _now())).label("answering")
        async with self._read() as conn:
            row = (
                await conn.execute(
                    select(c.created_at, c.turns, c.last_agent, answering).where(
                        c.id == conversation_id, _VISIBLE[customer_id is not None]
                    ),
                    {"b_customer": customer_id},
                )
            ).first()
            if row is None:
                raise ConversationNotFound(conversation_id)
            messages = (
                await conn.execute(
                    select(m.turn, m.role, m.author, m.text, m.status, m.created_at)
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
                {
                    "turn": r.turn,
                    "role": r.role,
                    "author": r.author,
                    "text": r.text,
                    "status": UNANSWERED if r.status == PENDING and not row.answering else r.status,
                    "at": r.created_at.isoformat(),
                }
                for r in messages
            ],
        }

    async def _write(self, work: Callable[[Connection], T]) -> T:
        """`work` in one write transaction; store trouble is `StoreUnavailable`.

        A SQLite file's transactions run whole on its writer thread (`agents.database.SqliteWriter`);
        an in-memory one's queue on this process's lock and start with `BEGIN IMMEDIATE`; a server
        database's run on a pooled connection.
        """
        try:
            # Looked up per write: disposing the engine closes its writer, and a new one takes over.
            if (writer := sqlite_writer(self._engine)) is not None:
                return await writer.run(work)
            async with self._one_writer(), self._engine.begin() as conn:
                if self._sqlite:
                    await conn.exec_driver_sql("BEGIN IMMEDIATE")
                return await conn.run_sync(work)
        except IntegrityError:
            raise
        except STORE_ERRORS as exc:
            raise StoreUnavailable(_reason(exc)) from exc

    @asynccontextmanager
    async def _one_writer(self) -> AsyncIterator[None]:
        if not self._sqlite:
            yield
            return
        async with self._sqlite_writer:
            yield

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self._engine.connect() as conn:
                yield conn
        except STORE_ERRORS as exc:
            raise StoreUnavailable(_reason(exc)) from exc


def _take(
    conn: Connection, signed_in: bool, take: dict[str, Any], owner: str, said: dict[str, Any] | None
) -> OpenedTurn | None:
    """Take the lease; with it, read the conversation's checkpoint and write the shopper's message. None when
    the lease was not taken (nothing is written)."""
    row = conn.execute(_TAKE[signed_in], take).first()
    if row is None:
        return None
    conversation_id = take["b_id"]
    stored = None
    if row.checkpoint_id is not None:
        found = conn.execute(_CHECKPOINT, {"b_checkpoint": row.checkpoint_id, "b_id": conversation_id})
        stored = found.scalar_one_or_none()
    message_id = None
    if said is not None:
        conn.execute(_CRASHED, {"b_id": conversation_id, "status": UNANSWERED})
        message_id = _insert_message(conn, conversation_id, row.turns + 1, said)
    return OpenedTurn(conversation_id, owner, row.pending_request_id, row.checkpoint_id, row.turns, stored, message_id)


def _extend(conn: Connection, *, keys: list[tuple[str, str]], until: datetime) -> dict[tuple[str, str], bool]:
    """Extend each (conversation, owner) lease to `until`; whether its owner still held it."""
    return {
        key: conn.execute(_HELD, {"b_id": key[0], "b_owner": key[1], "busy_until": until}).rowcount > 0 for key in keys
    }


def _shopper_message(text: str | None, now: datetime) -> dict[str, Any] | None:
    if text is None:
        return None
    return {"role": "user", "author": "shopper", "text": text, "status": PENDING, "created_at": now}


def _insert_message(conn: Connection, conversation_id: str, turn: int, said: dict[str, Any]) -> int:
    message_id: int = conn.execute(
        _NEW_MESSAGE, {**said, "conversation_id": conversation_id, "turn": turn}
    ).scalar_one()
    return message_id


def _now() -> datetime:
    return datetime.now(UTC)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return f"conversation store unavailable: {type(orig).__name__}: {orig}"
