"""The A2A executor of a specialist: durable sessions, streamed answers, handoffs, confirmations."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping

from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext, SimpleRequestContextBuilder
from a2a.server.context import ServerCallContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message as A2AMessage
from a2a.types import Part, SendMessageRequest, Task, TaskState
from a2a.utils.errors import InvalidParamsError, UnsupportedOperationError
from agent_framework import Agent, AgentSession, Content, Message
from google.protobuf.json_format import MessageToDict
from opentelemetry import trace

from agents.handoff_extension import (
    SESSION_VERSION_KEY,
    TURN_AUTHOR_KEY,
    TURN_ROLE_KEY,
    USAGE_KEY,
    HandoffTarget,
    handoff_metadata,
    parse_session_version,
    parse_targets,
)
from agents.identity import Identity
from agents.run_context import running
from agents.telemetry import handoff_attributes, record_error, span, tracing
from specialists.host.auth import IDENTITY_STATE_KEY
from specialists.host.confirmations import ActionHandler, Verdict, decide
from specialists.host.handoffs import handoff_tools
from specialists.host.sessions import HISTORY_SOURCE, PENDING_ACTION_KEY, SessionStore
from specialists.run_context import SpecialistRunContext

logger = logging.getLogger(__name__)

ANSWER_ARTIFACT = "answer"
FAILURE_TEXT = "Sorry, I couldn't complete that request just now. Please try again in a moment."
NEW_CONTEXT_STATE_KEY = "new_context"


class NewContextMarker(SimpleRequestContextBuilder):
    """Marks, in the call context, a request that names neither a context nor a task.

    The SDK then makes a new context id for it, so nothing can be stored under that id yet: the executor
    starts its session without reading the database.
    """

    async def build(
        self,
        context: ServerCallContext,
        params: SendMessageRequest | None = None,
        task_id: str | None = None,
        context_id: str | None = None,
        task: Task | None = None,
    ) -> RequestContext:
        if params is not None and not (task_id or context_id or params.message.task_id or params.message.context_id):
            context.state[NEW_CONTEXT_STATE_KEY] = True
        return await super().build(context, params, task_id, context_id, task)


def turns_of(message_parts: list[Part]) -> list[Message]:
    """The forwarded turns of an A2A message: one text part per turn, role and author in part metadata."""
    turns = []
    for part in message_parts:
        if not part.text:
            continue
        meta = MessageToDict(part.metadata) if part.HasField("metadata") else {}
        role = "assistant" if meta.get(TURN_ROLE_KEY) == "assistant" else "user"
        turns.append(Message(role, [Content.from_text(part.text)], author_name=meta.get(TURN_AUTHOR_KEY) or None))
    return turns


class SpecialistExecutor(AgentExecutor):
    """Runs the specialist's MAF agent for each A2A message of a conversation (`context_id`)."""

    def __init__(
        self,
        agent: Agent,
        sessions: SessionStore,
        *,
        max_message_chars: int,
        coalesce_s: float,
        actions: Mapping[str, ActionHandler] | None = None,
    ) -> None:
        self._agent = agent
        self._sessions = sessions
        self._max_chars = max_message_chars
        self._coalesce_s = coalesce_s
        self._actions = dict(actions or {})

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        """Answer one message, streaming text as artifact chunks, ending with usage (and a handoff)."""
        with span(f"specialist execute {self._agent.name}", {"ecommerce.specialist": self._agent.name or ""}):
            await self._execute(context, event_queue)

    async def _execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        if context.message is None:
            raise InvalidParamsError(message="a message is required")
        turns = turns_of(list(context.message.parts))
        size = sum(len(t.text) for t in turns)
        if not turns or not any(t.text.strip() for t in turns):
            raise InvalidParamsError(message="the message has no text")
        if size > self._max_chars:
            raise InvalidParamsError(message=f"the message is too long ({size} > {self._max_chars} characters)")

        identity: Identity | None = context.call_context.state.get(IDENTITY_STATE_KEY)
        customer_id = identity.customer_id if identity else None
        task = context.current_task or _working_task(context.message)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        if context.current_task is None:
            await event_queue.enqueue_event(task)
        else:
            await updater.start_work()
        metadata = context.metadata  # a fresh dict of the request's metadata on every read
        if context.call_context.state.get(NEW_CONTEXT_STATE_KEY):
            session = AgentSession(session_id=task.context_id)  # its id was made for this request
        else:
            session = await self._sessions.load(task.context_id, customer_id, parse_session_version(metadata))
        run = SpecialistRunContext(customer_id=customer_id)
        writer = AnswerWriter(updater, self._coalesce_s)
        try:
            with running(run):
                await self._answer(turns, session, run, parse_targets(metadata), writer)
        except Exception as exc:
            logger.exception("specialist %s failed on context %s", self._agent.name, updater.context_id)
            await writer.settle()
            record_error(trace.get_current_span(), exc)
            await updater.failed(updater.new_agent_message([Part(text=FAILURE_TEXT)]))
            return

        if run.proposed_action is not None and run.handoff is None:
            session.state[PENDING_ACTION_KEY] = run.proposed_action
        # The last text goes out before the session is saved; the turn completes once it is.
        await writer.finish()
        version = await self._sessions.save(session, customer_id)
        reply: dict[str, object] = {USAGE_KEY: run.usage.as_dict(), SESSION_VERSION_KEY: version}
        if run.handoff is not None:
            reply.update(handoff_metadata(run.handoff))
        _describe_turn(self._agent.name or "", updater.context_id, run)
        await updater.update_status(TaskState.TASK_STATE_COMPLETED, metadata=reply)

    async def _answer(
        self,
        turns: list[Message],
        session: AgentSession,
        run: SpecialistRunContext,
        targets: list[HandoffTarget],
        writer: AnswerWriter,
    ) -> None:
        pending = session.state.pop(PENDING_ACTION_KEY, None)
        handler = self._actions.get(str(pending.get("type"))) if pending else None
        if handler is not None:
            decision = decide(turns[-1].text if turns[-1].role == "user" else "", pending)
            reply = decision.message
            if decision.verdict is Verdict.CONFIRM:
                outcome = await handler(run.customer_id, pending)
                reply = str(outcome.get("message") or outcome)
            if decision.keeps_pending:
                session.state[PENDING_ACTION_KEY] = pending
            if not decision.answers_normally:
                _remember(session, turns, reply, self._agent.name)
                await writer.write(reply)
                return
            await writer.write(reply + " ")
        tools = handoff_tools(run, targets)
        stream = self._agent.run(turns, session=session, stream=True, tools=tools)
        async for update in stream:
            for content in update.contents:
                if content.type == "text" and content.text:
                    await writer.write(content.text)
        await stream.get_final_response()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        """A turn runs to completion or failure; cancelling one is not supported."""
        raise UnsupportedOperationError(message="cancelling a running turn is not supported")


def _working_task(message: A2AMessage) -> Task:
    """A new task for `message`, sent already working: one event fewer than submitted, then working."""
    task = new_task_from_user_message(message)
    task.status.state = TaskState.TASK_STATE_WORKING
    return task


def _describe_turn(name: str, context_id: str, run: SpecialistRunContext) -> None:
    """Put the turn's usage and handoff on the executor's span."""
    if not tracing():
        return
    usage = run.usage
    current = trace.get_current_span()
    current.set_attributes(
        {
            "gen_ai.conversation.id": context_id,
            "gen_ai.usage.model_calls": usage.llm_calls,
            "gen_ai.usage.input_tokens": usage.input_tokens,
            "gen_ai.usage.output_tokens": usage.output_tokens,
        }
    )
    if run.handoff is not None:
        current.set_attributes(handoff_attributes(name, run.handoff.target, run.handoff.reason))


def _remember(session: AgentSession, turns: list[Message], reply: str, author: str | None) -> None:
    """Append a turn answered without the model to the session's history."""
    history = session.state.setdefault(HISTORY_SOURCE, {}).setdefault("messages", [])
    history.extend(turns)
    history.append(Message("assistant", [Content.from_text(reply)], author_name=author))


class AnswerWriter:
    """Streams answer text as chunks of one artifact.

    The first text goes out as soon as the event loop is free (time to first text): text the model
    writes before that, without waiting, joins it, so an answer written at once is one event. After
    that, text arriving within `coalesce_s` of the last chunk is gathered into the next one, so the
    answer costs one protocol event (and one wake-up of each side) per `coalesce_s` of the model's
    output, not per few words, while it still streams.
    """

    def __init__(self, updater: TaskUpdater, coalesce_s: float) -> None:
        self._updater = updater
        self._coalesce_s = coalesce_s
        self._artifact_id = f"{ANSWER_ARTIFACT}-{uuid.uuid4().hex[:12]}"
        self._chunks = 0
        self._pending: list[str] = []
        self._last_sent = 0.0
        self._first: asyncio.Task[None] | None = None
        self._first_started = False

    async def write(self, text: str) -> None:
        self._pending.append(text)
        if self._chunks == 0:
            if self._first is None:
                self._first = asyncio.ensure_future(self._send_first())
        elif time.monotonic() - self._last_sent >= self._coalesce_s:
            await self._send(last=False)

    async def finish(self) -> None:
        """Send what is left as the last chunk."""
        await self.settle()
        if self._pending or self._chunks:
            await self._send(last=True)

    async def settle(self) -> None:
        """Wait for the first chunk if it is on its way; if the loop never got to it, its text stays pending."""
        first, self._first = self._first, None
        if first is None:
            return
        if self._first_started:
            await first
        else:
            first.cancel()  # never started: cancelled before it runs, nothing was sent

    async def _send_first(self) -> None:
        self._first_started = True
        await self._send(last=False)

    async def _send(self, *, last: bool) -> None:
        text, self._pending = "".join(self._pending), []
        await self._updater.add_artifact(
            [Part(text=text)],
            artifact_id=self._artifact_id,
            name=ANSWER_ARTIFACT,
            append=self._chunks > 0,
            last_chunk=last,
        )
        self._chunks += 1
        self._last_sent = time.monotonic()
