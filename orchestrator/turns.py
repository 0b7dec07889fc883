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
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from agent_framework import AgentResponseUpdate, WorkflowEvent
from agent_framework.orchestrations import HandoffAgentUserRequest, HandoffSentEvent
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.errors import EcommerceAgentsError
from agents.run_context import running
from orchestrator.bounds import LIMIT_MESSAGE
from orchestrator.checkpoints import Window
from orchestrator.conversation_store import (
    COMPLETE,
    INTERRUPTED,
    ConversationStore,
    LeaseLost,
    OpenedTurn,
    Reply,
    StoreUnavailable,
)
from orchestrator.mesh import MeshFactory, pause_checkpoint
from orchestrator.proxy import FAILURE_NOTICE
from orchestrator.run_context import MeshRunContext
from orchestrator.turn_telemetry import TurnTrace

logger = logging.getLogger(__name__)

TURN_FAILED = "Sorry, something went wrong while answering. Your conversation is safe: please try again."
TURN_TIMED_OUT = "Sorry, that took too long to answer. Your conversation is safe: please try again."


class WorkflowFailed(EcommerceAgentsError):
    """The mesh's workflow failed, or stopped without pausing for the shopper's next message."""


ChatEventKind = Literal["agent", "delta", "handoff", "done", "error"]


@dataclass
class ChatEvent:
    """One event of a turn as the chat API streams it: agent, delta, handoff, done or error."""

    kind: ChatEventKind
    data: dict[str, Any]


@dataclass
class _Segment:
    agent: str
    text: str
    status: str = COMPLETE


@dataclass
class _AnswerRecord:
    """What the workflow answered so far: who spoke, the handoffs, the reply's segments and where it paused."""

    route: list[str] = field(default_factory=list)
    handoffs: list[dict[str, str]] = field(default_factory=list)
    segments: list[_Segment] = field(default_factory=list)
    pending_request_id: str | None = None
    paused_agent: str | None = None

    def spoke(self, agent: str) -> bool:
        """Record `agent` as the speaker; True when the speaker changed."""
        if self.route and self.route[-1] == agent:
            return False
        self.route.append(agent)
        return True

    def add_text(self, agent: str, text: str, *, failure_notice: bool = False) -> None:
        """Append `text` to `agent`'s answer; a failure notice closes what came before as interrupted."""
        last = self.segments[-1] if self.segments else None
        if last is not None and last.agent == agent and failure_notice and last.text.strip():
            last.status = INTERRUPTED
        if last is not None and last.agent == agent and not failure_notice and last.status == COMPLETE:
            last.text += text
        else:
            self.segments.append(_Segment(agent, text))

    @property
    def reply(self) -> str:
        return "\n\n".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def replies(self) -> list[Reply]:
        return [Reply("assistant", s.agent, s.text.strip(), s.status) for s in self.segments if s.text.strip()]

    @property
    def last_author(self) -> str | None:
        for segment in reversed(self.segments):
            if segment.text.strip():
                return segment.agent
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
        lease_s: float,
    ) -> None:
        store = ConversationStore(engine, lease_s=lease_s)
        self._runtime = _Runtime(store, mesh, max_handoffs, turn_timeout_s, window)

    async def open_turn(
        self, conversation_id: str | None, customer_id: str | None, text: str, *, start_if_missing: bool = False
    ) -> Turn:
        """Take the conversation's lease and write the shopper's `text`, `pending`, in one transaction (see
        `ConversationStore.open_turn`).

        Raises `ConversationNotFound` (not this shopper's), `ConversationBusy` (answering another
        message) or `StoreUnavailable`.
        """
        store = self._runtime.store
        opened = await store.open_turn(conversation_id, customer_id, message=text, start_if_missing=start_if_missing)
        return Turn(self._runtime, opened, customer_id, text)

    async def transcript(self, conversation_id: str, customer_id: str | None) -> dict[str, Any]:
        """The conversation's messages with their authors and status, oldest first."""
        return await self._runtime.store.transcript(conversation_id, customer_id)


class Turn:
    """One shopper message being answered under the conversation's lease."""

    def __init__(self, runtime: _Runtime, opened: OpenedTurn, customer_id: str | None, text: str) -> None:
        self.conversation_id = opened.conversation_id
        self._runtime = runtime
        self._opened = opened
        self._customer_id = customer_id
        self._text = text
        self._released = False

    async def events(self) -> AsyncGenerator[ChatEvent]:
        """Answer the shopper's message, yielding the turn's events; always ends with `done` or `error` and the
        lease released.

        The message was written with the lease, before the model runs. A turn whose end the store can't
        record ends with an `error` event.
        """
        try:
            assert self._opened.message_id is not None, "opened with the shopper's message"
            answer = self._answer(self._text, self._opened.message_id)
            async with _heartbeat(self._runtime.store, self._opened), aclosing(answer):
                async for event in answer:
                    yield event
        finally:
            await asyncio.shield(self.release())  # even when the client went away mid-turn

    async def release(self) -> None:
        """Give the conversation's lease back (idempotent; a store that won't take it lets the lease expire)."""
        if not self._released:
            self._released = await self._runtime.store.release(self.conversation_id, self._opened.lease_owner)

    async def _answer(self, text: str, message_id: int) -> AsyncGenerator[ChatEvent]:
        record = _AnswerRecord()
        run = MeshRunContext(customer_id=self._customer_id, max_handoffs=self._runtime.max_handoffs)
        storage = self._runtime.store.checkpoints(self.conversation_id, window=self._runtime.window)
        mesh = self._runtime.mesh
        opened = self._opened
        trace = TurnTrace(self.conversation_id, opened.number)
        try:
            try:
                with running(run):
                    if opened.pending_request_id and opened.checkpoint_id:
                        checkpoint = await storage.load(opened.checkpoint_id, stored=opened.checkpoint_data)
                        workflow = await mesh.acquire(checkpoint)
                        stream = workflow.run(
                            responses={opened.pending_request_id: HandoffAgentUserRequest.create_response(text)},
                            stream=True,
                        )
                    else:
                        workflow = await mesh.acquire(None)
                        stream = workflow.run(message=text, stream=True)
                    async with asyncio.timeout(self._runtime.turn_timeout_s):
                        async for event in trace.run(stream):
                            trace.observe(event, run)
                            for out in _translate(event, record):
                                yield out
                if record.pending_request_id is None:
                    raise WorkflowFailed("the workflow stopped without pausing for the shopper")
                if run.budget_exhausted and not record.reply:
                    record.add_text(record.last_author or "orchestrator", LIMIT_MESSAGE)
                    yield ChatEvent("delta", {"agent": record.last_author, "text": LIMIT_MESSAGE})
                checkpoint_id = await storage.save(await pause_checkpoint(workflow))
            except TimeoutError as exc:
                trace.fail(exc)
                logger.warning("turn timed out in conversation %s", self.conversation_id)
                yield await self._failed(message_id, TURN_TIMED_OUT)
                return
            except Exception as exc:
                trace.fail(exc)
                logger.exception("turn failed in conversation %s", self.conversation_id)
                yield await self._failed(message_id, TURN_FAILED)
                return
            try:
                with trace.active():
                    await self._runtime.store.close_turn(
                        opened,
                        message_id,
                        record.replies,
                        checkpoints=storage,
                        checkpoint_id=checkpoint_id,
                        turns=opened.number,
                        last_agent=record.paused_agent,
                        pending_request_id=record.pending_request_id,
                    )
            except LeaseLost as exc:
                trace.fail(exc)
                yield self._lease_lost()
                return
            except StoreUnavailable as exc:
                trace.fail(exc)
                logger.warning("could not record the turn of %s: %s", self.conversation_id, exc)
                yield await self._failed(message_id, TURN_FAILED)
                return
            self._released = True
            mesh.release(workflow)
            yield ChatEvent("done", self._done(record, run))
        finally:
            trace.finish(run, record.last_author)

    async def _failed(self, message_id: int, message: str) -> ChatEvent:
        """Mark the message unanswered and keep what the shopper is told; the conversation state stays.

        When the store can't take even that, the turn still ends with its error event (the message
        stays `pending`, read as `unanswered`) and `release` gives the lease back.
        """
        try:
            await self._runtime.store.close_turn(self._opened, message_id, [Reply("system", "system", message)])
        except LeaseLost:
            return self._lease_lost()
        except StoreUnavailable as exc:
            logger.warning("could not record the failed turn of %s: %s", self.conversation_id, exc)
            return ChatEvent("error", {"message": message, "conversation_id": self.conversation_id})
        self._released = True
        return ChatEvent("error", {"message": message, "conversation_id": self.conversation_id})

    def _lease_lost(self) -> ChatEvent:
        logger.warning("turn in conversation %s lost its lease; its answer is not kept", self.conversation_id)
        self._released = True
        return ChatEvent("error", {"message": TURN_FAILED, "conversation_id": self.conversation_id})

    def _done(self, record: _AnswerRecord, run: MeshRunContext) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "reply": record.reply,
            "agent": record.last_author,
            "route": record.route,
            "handoffs": record.handoffs,
            "usage": run.usage.as_dict(),
        }


@asynccontextmanager
async def _heartbeat(store: ConversationStore, opened: OpenedTurn) -> AsyncIterator[None]:
    """Renew the turn's lease every third of its lifetime while the block runs."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(store.lease_s / 3)
            try:
                if not await store.renew(opened.conversation_id, opened.lease_owner):
                    logger.warning("conversation %s: the lease was taken by another turn", opened.conversation_id)
                    return
            except StoreUnavailable as exc:
                logger.warning("conversation %s: lease not renewed: %s", opened.conversation_id, exc)

    task = asyncio.create_task(beat(), name=f"lease:{opened.conversation_id}")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)  # a heartbeat's own failure is not the turn's


def _translate(event: WorkflowEvent, record: _AnswerRecord) -> list[ChatEvent]:
    """The chat API events of one workflow event (routing traffic is dropped)."""
    if event.type == "output" and isinstance(event.data, AgentResponseUpdate):
        agent = event.executor_id or event.data.author_name or "orchestrator"
        out = []
        if event.data.contents and record.spoke(agent):
            out.append(ChatEvent("agent", {"agent": agent}))
        for content in event.data.contents:
            if content.type == "text" and content.text:
                notice = bool((content.additional_properties or {}).get(FAILURE_NOTICE))
                record.add_text(agent, content.text, failure_notice=notice)
                out.append(ChatEvent("delta", {"agent": agent, "text": content.text}))
        return out
    if event.type == "handoff_sent" and isinstance(event.data, HandoffSentEvent):
        handoff = {"source": event.data.source, "target": event.data.target}
        record.handoffs.append(handoff)
        return [ChatEvent("handoff", handoff)]
    if event.type == "request_info" and isinstance(event.data, HandoffAgentUserRequest):
        record.pending_request_id = event.request_id
        record.paused_agent = event.source_executor_id
        return []
    if event.type == "failed":
        raise WorkflowFailed(f"workflow failed: {event.data}")
    return []
