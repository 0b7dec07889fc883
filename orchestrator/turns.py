"""Running a turn: one workflow per conversation, resumed turn by turn from its checkpoint.

A turn builds a fresh workflow from the mesh, restores the conversation's checkpoint and answers the
paused `request_info` with the shopper's message, so the message reaches the agent that spoke last,
and translates the workflow's events into the chat API's. A failed or timed-out turn tells the
shopper so and leaves the last good checkpoint in place, so the conversation goes on. What is kept
and how (ownership, lease, transcript) is `orchestrator.conversation_store`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from agent_framework import AgentResponseUpdate, WorkflowEvent
from agent_framework.orchestrations import HandoffAgentUserRequest, HandoffSentEvent
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.usage import metered_turn
from orchestrator.bounds import LIMIT_MESSAGE
from orchestrator.checkpoints import ConversationCheckpoints, Window
from orchestrator.conversation_store import ConversationStore, OpenedTurn
from orchestrator.mesh import MeshFactory
from orchestrator.turn_context import ShopperTurn, shopper_turn
from orchestrator.turn_telemetry import TurnTrace

logger = logging.getLogger(__name__)

TURN_FAILED = "Sorry, something went wrong while answering. Your conversation is safe: please try again."
TURN_TIMED_OUT = "Sorry, that took too long to answer. Your conversation is safe: please try again."


@dataclass
class TurnEvent:
    """One event of a turn as the chat API streams it: agent, delta, handoff, done or error."""

    kind: str
    data: dict[str, Any]


@dataclass
class _TurnRecord:
    route: list[str] = field(default_factory=list)
    handoffs: list[dict[str, str]] = field(default_factory=list)
    segments: list[tuple[str, str]] = field(default_factory=list)
    pending_request_id: str | None = None
    paused_agent: str | None = None

    def spoke(self, agent: str) -> bool:
        """Record `agent` as the speaker; True when the speaker changed."""
        if self.route and self.route[-1] == agent:
            return False
        self.route.append(agent)
        return True

    def add_text(self, agent: str, text: str) -> None:
        if self.segments and self.segments[-1][0] == agent:
            self.segments[-1] = (agent, self.segments[-1][1] + text)
        else:
            self.segments.append((agent, text))

    @property
    def reply(self) -> str:
        return "\n\n".join(text.strip() for _, text in self.segments if text.strip())

    @property
    def last_author(self) -> str | None:
        for agent, text in reversed(self.segments):
            if text.strip():
                return agent
        return self.paused_agent or (self.route[-1] if self.route else None)


@dataclass(frozen=True)
class _Runtime:
    """What every turn needs: the conversation store, the mesh and the per-turn bounds."""

    store: ConversationStore
    mesh: MeshFactory
    max_handoffs: int
    turn_timeout_s: float
    window: Window


class Conversations:
    """Starts, continues and reads conversations for the chat API."""

    def __init__(
        self,
        engine: AsyncEngine,
        mesh: MeshFactory,
        *,
        max_handoffs: int,
        turn_timeout_s: float,
        window: Window,
    ) -> None:
        store = ConversationStore(engine, lease_s=turn_timeout_s + 30)
        self._runtime = _Runtime(store, mesh, max_handoffs, turn_timeout_s, window)

    async def open_turn(
        self, conversation_id: str | None, customer_id: str | None, *, start_if_missing: bool = False
    ) -> Turn:
        """Take the conversation's lease (see `ConversationStore.open_turn`)."""
        opened = await self._runtime.store.open_turn(conversation_id, customer_id, start_if_missing=start_if_missing)
        return Turn(self._runtime, opened, customer_id)

    async def transcript(self, conversation_id: str, customer_id: str | None) -> dict[str, Any]:
        """The conversation's messages with their authors, oldest first."""
        return await self._runtime.store.transcript(conversation_id, customer_id)


class Turn:
    """One shopper message being answered under the conversation's lease."""

    def __init__(self, runtime: _Runtime, opened: OpenedTurn, customer_id: str | None) -> None:
        self.conversation_id = opened.conversation_id
        self._runtime = runtime
        self._customer_id = customer_id
        self._pending = opened.pending_request_id
        self._checkpoint = opened.checkpoint_id
        self._number = opened.turns + 1
        self._released = False

    async def events(self, text: str) -> AsyncIterator[TurnEvent]:
        """Answer `text`, yielding the turn's events; always ends with `done` or `error` and the lease released."""
        record = _TurnRecord()
        turn = ShopperTurn(customer_id=self._customer_id, max_handoffs=self._runtime.max_handoffs)
        storage = self._runtime.store.checkpoints(self.conversation_id, window=self._runtime.window)
        workflow = self._runtime.mesh.build(storage)
        trace = TurnTrace(self.conversation_id, self._number)
        try:
            with shopper_turn(turn), metered_turn(turn.usage):
                if self._pending and self._checkpoint:
                    stream = workflow.run(
                        checkpoint_id=self._checkpoint,
                        responses={self._pending: HandoffAgentUserRequest.create_response(text)},
                        stream=True,
                    )
                else:
                    stream = workflow.run(message=text, stream=True)
                async with asyncio.timeout(self._runtime.turn_timeout_s):
                    async for event in trace.run(stream):
                        trace.observe(event, turn)
                        for out in _translate(event, record):
                            yield out
            if record.pending_request_id is None:
                raise RuntimeError("the workflow stopped without pausing for the shopper")
            if turn.budget_exhausted and not record.reply:
                record.add_text(record.last_author or "orchestrator", LIMIT_MESSAGE)
                yield TurnEvent("delta", {"agent": record.last_author, "text": LIMIT_MESSAGE})
            with trace.active():
                await self._commit(text, record, storage, workflow.get_last_checkpoint_id())
            yield TurnEvent("done", self._answer(record, turn))
        except TimeoutError as exc:
            trace.fail(exc)
            logger.warning("turn timed out in conversation %s", self.conversation_id)
            await self._record_failure(text, TURN_TIMED_OUT)
            yield TurnEvent("error", {"message": TURN_TIMED_OUT, "conversation_id": self.conversation_id})
        except Exception as exc:
            trace.fail(exc)
            logger.exception("turn failed in conversation %s", self.conversation_id)
            await self._record_failure(text, TURN_FAILED)
            yield TurnEvent("error", {"message": TURN_FAILED, "conversation_id": self.conversation_id})
        finally:
            trace.finish(turn, record.last_author)
            await asyncio.shield(self.release())  # even when the client went away mid-turn

    async def release(self) -> None:
        """Give the conversation's lease back (idempotent)."""
        if self._released:
            return
        self._released = await self._runtime.store.release(self.conversation_id)

    def _answer(self, record: _TurnRecord, turn: ShopperTurn) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "reply": record.reply,
            "agent": record.last_author,
            "route": record.route,
            "handoffs": record.handoffs,
            "usage": turn.usage.as_dict(),
        }

    async def _commit(
        self, text: str, record: _TurnRecord, storage: ConversationCheckpoints, checkpoint_id: str | None
    ) -> None:
        """Record the turn, its transcript and the checkpoint the next turn resumes, all or nothing."""
        if checkpoint_id is None:
            raise RuntimeError("the workflow paused without a checkpoint")
        replies = [{"role": "assistant", "author": a, "text": t.strip()} for a, t in record.segments if t.strip()]
        await self._runtime.store.close_turn(
            self.conversation_id,
            self._number,
            text,
            replies,
            checkpoints=storage,
            checkpoint_id=checkpoint_id,
            turns=self._number,
            last_agent=record.paused_agent,
            pending_request_id=record.pending_request_id,
        )
        self._released = True

    async def _record_failure(self, text: str, message: str) -> None:
        """Keep the shopper's message and what they were told; the conversation state stays as it was.

        When the database can't take even that (down, its pool exhausted), the turn still ends with its
        error event and `release` gives the lease back.
        """
        try:
            await self._runtime.store.close_turn(
                self.conversation_id, self._number, text, [{"role": "system", "author": "system", "text": message}]
            )
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("could not record the failed turn of %s: %s", self.conversation_id, exc)
            return
        self._released = True


def _translate(event: WorkflowEvent, record: _TurnRecord) -> list[TurnEvent]:
    """The chat API events of one workflow event (routing traffic is dropped)."""
    if event.type == "output" and isinstance(event.data, AgentResponseUpdate):
        agent = event.executor_id or event.data.author_name or "orchestrator"
        out = []
        if event.data.contents and record.spoke(agent):
            out.append(TurnEvent("agent", {"agent": agent}))
        for content in event.data.contents:
            if content.type == "text" and content.text:
                record.add_text(agent, content.text)
                out.append(TurnEvent("delta", {"agent": agent, "text": content.text}))
        return out
    if event.type == "handoff_sent" and isinstance(event.data, HandoffSentEvent):
        handoff = {"source": event.data.source, "target": event.data.target}
        record.handoffs.append(handoff)
        return [TurnEvent("handoff", handoff)]
    if event.type == "request_info" and isinstance(event.data, HandoffAgentUserRequest):
        record.pending_request_id = event.request_id
        record.paused_agent = event.source_executor_id
        return []
    if event.type == "failed":
        raise RuntimeError(f"workflow failed: {event.data}")
    return []
