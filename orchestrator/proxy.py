"""Proxy agents: MAF `Agent`s whose chat client forwards each turn over A2A to a remote specialist.

The proxy streams the specialist's answer back as it arrives, turns the specialist's `handoff`
metadata into a call of the matching `handoff_to_<target>` tool (so the mesh fires the back edge),
keeps one A2A `context_id` per conversation in the agent session (checkpointed with it) and sends
only the turns the specialist has not seen.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from a2a.client import ClientCallContext
from a2a.client.errors import A2AClientError
from a2a.types import Message as A2AMessage
from a2a.types import Part, Role, SendMessageRequest, StreamResponse, TaskState
from a2a.utils.errors import A2AError
from agent_framework import (
    Agent,
    AgentSession,
    BaseChatClient,
    ChatContext,
    ChatMiddleware,
    ChatMiddlewareLayer,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FinishReasonLiteral,
    FunctionInvocationLayer,
    InMemoryHistoryProvider,
    Message,
    ResponseStream,
)
from google.protobuf.json_format import MessageToDict
from opentelemetry.trace import SpanKind

from agents.definitions import get_definition
from agents.handoff_extension import (
    HANDOFF_EXTENSION_URI,
    SESSION_VERSION_KEY,
    Handoff,
    HandoffTarget,
    handoff_tool_name,
    handoff_tool_target,
    parse_handoff,
    parse_session_version,
    parse_usage,
    targets_metadata,
    turn_metadata,
)
from agents.identity import ORCHESTRATOR_ISSUER, TokenCodec, keep_newest
from agents.telemetry import finish_span, handoff_attributes, record_error, start_span, traced_stream
from orchestrator.directory import SpecialistDirectory
from orchestrator.run_context import current_mesh_run

logger = logging.getLogger(__name__)

PROXY_STATE_KEY = "a2a_proxy"
FAILED_LAST_KEY = "failed_last"
SESSION_KWARG = "a2a_session"
APOLOGY = (
    "Sorry, I can't reach our {topic} team right now, so I can't answer that part. "
    "Please try again in a moment, or ask me something else."
)
FAILURE_NOTICE = "failure_notice"  # marks the apology's text content: what came before it was cut short


class ServiceTokens:
    """Mints the short-lived service tokens of A2A calls: audience = specialist, subject = shopper.

    One token serves the calls to one specialist for one shopper while more than half of its lifetime
    is left, so the specialist verifies it once (it remembers verified tokens) and every call still
    carries at least half a lifetime.
    """

    KEPT = 4096  # the newest tokens, one per (specialist, shopper)

    def __init__(self, secret: str, ttl_s: int) -> None:
        self._codec = TokenCodec(secret, ORCHESTRATOR_ISSUER)
        self._ttl_s = ttl_s
        self._tokens: dict[tuple[str, str | None], tuple[str, float]] = {}

    def for_call(self, specialist: str, customer_id: str | None) -> str:
        """The token for a call to `specialist` on behalf of `customer_id`."""
        key = (specialist, customer_id)
        now = time.time()
        token, renew_at = self._tokens.pop(key, ("", 0.0))
        if now >= renew_at:
            token, renew_at = self._codec.mint(specialist, customer_id, self._ttl_s), now + self._ttl_s / 2
        return keep_newest(self._tokens, key, (token, renew_at), self.KEPT)[0]


class _SessionToKwargs(ChatMiddleware):
    """`ChatMiddlewareLayer` keeps the session from the client; hand it over for the A2A state."""

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        if context.session is not None:
            context.kwargs[SESSION_KWARG] = context.session
        await call_next()


@dataclass
class _Outcome:
    """What the specialist decided in one exchange: a hand-off, or none."""

    handoff: Handoff | None = None


class _RemoteFailure(Exception):
    """The specialist answered with a failed task or a protocol error, or its card can't be had."""


def unseen_turns(messages: Sequence[Message], own_name: str) -> list[Message]:
    """The text turns after this agent's own last message (its reply, handoff call or tool result)."""

    def is_own(message: Message) -> bool:
        return message.role == "tool" or (message.role == "assistant" and message.author_name in (None, own_name))

    last_own = max((i for i, m in enumerate(messages) if is_own(m)), default=-1)
    new = [m for m in messages[last_own + 1 :] if m.text.strip()]
    if new:
        return new
    users = [m for m in messages if m.role == "user" and m.text.strip()]
    return users[-1:]


class _A2AProxyCore(BaseChatClient):
    """Forwards a model call to a remote A2A specialist and streams the answer back."""

    OTEL_PROVIDER_NAME = "a2a"

    def __init__(self, *, name: str, directory: SpecialistDirectory, tokens: ServiceTokens, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self._directory = directory
        self._tokens = tokens

    def _inner_get_response(
        self, *, messages: Sequence[Message], stream: bool, options: Mapping[str, Any], **kwargs: Any
    ) -> Awaitable[ChatResponse] | ResponseStream[ChatResponseUpdate, ChatResponse]:
        updates = self._forward(messages, options, kwargs.get(SESSION_KWARG))
        if stream:
            return self._build_response_stream(updates, response_format=options.get("response_format"))

        async def _collect() -> ChatResponse:
            return ChatResponse.from_updates([u async for u in updates])

        return _collect()

    async def _forward(
        self, messages: Sequence[Message], options: Mapping[str, Any], session: AgentSession | None
    ) -> AsyncIterator[ChatResponseUpdate]:
        name = self.name
        response_id = f"a2a-{uuid.uuid4().hex[:12]}"
        state: dict[str, Any] = session.state.setdefault(PROXY_STATE_KEY, {}) if session is not None else {}
        tools = options.get("tools") or []
        offered = {t.name: t for t in tools if handoff_tool_target(getattr(t, "name", "")) is not None}
        run = current_mesh_run()
        outcome = _Outcome()
        if state.pop(FAILED_LAST_KEY, False):
            # The specialist could not answer the last message: the orchestrator routes this one afresh.
            outcome.handoff = Handoff(target="orchestrator", reason="the specialist was unavailable")
        else:
            request = self._request(unseen_turns(messages, name), state, offered)
            async for update in self._exchange(request, state, outcome, response_id):
                yield update
        handoff = outcome.handoff
        if handoff is not None and run is not None:
            run.handoff_reasons[name] = handoff.reason
        finish: FinishReasonLiteral = "stop"
        if handoff is not None and options.get("tool_choice") != "none":
            tool_name = handoff_tool_name(handoff.target)
            if tool_name not in offered:
                logger.warning("specialist %s asked to hand off to %r, not allowed here", name, handoff.target)
            elif run is None or run.take_handoff(tool_name):
                call_content = Content.from_function_call(
                    call_id=f"a2a_handoff_{uuid.uuid4().hex}", name=tool_name, arguments={}
                )
                yield ChatResponseUpdate(
                    role="assistant", contents=[call_content], response_id=response_id, message_id=response_id
                )
                finish = "tool_calls"
        yield ChatResponseUpdate(
            role="assistant", contents=[], response_id=response_id, message_id=response_id, finish_reason=finish
        )

    async def _exchange(
        self, request: SendMessageRequest, state: dict[str, Any], outcome: _Outcome, response_id: str
    ) -> AsyncIterator[ChatResponseUpdate]:
        """Send `request` and stream the answer; on failure apologise and keep the floor for one message.

        The orchestrator's history must stay a transcript a model API accepts, so a failure is not a
        hand-back answered without its model: the proxy keeps the floor with the apology, and hands
        the next message back to the orchestrator without calling the specialist.
        """
        name = self.name
        run = current_mesh_run()
        token = self._tokens.for_call(name, run.customer_id if run else None)
        call = ClientCallContext(
            service_parameters={"Authorization": f"Bearer {token}", "A2A-Extensions": HANDOFF_EXTENSION_URI}
        )
        span = start_span(f"a2a send_message {name}", {"a2a.specialist": name}, SpanKind.CLIENT)
        streamed = False
        try:
            specialist = await self._directory.ensure(name)
            if specialist is None:
                raise _RemoteFailure(f"not discovered: {self._directory.unreachable.get(name)}")
            async for event in traced_stream(span, specialist.client.send_message(request, context=call)):
                for text in _texts(event):
                    streamed = True
                    yield _text_update(text, response_id)
                metadata = _event_metadata(event)
                outcome.handoff = parse_handoff(metadata) or outcome.handoff
                if run is not None:
                    run.usage.add(parse_usage(metadata))
                _remember_ids(event, state)
                if version := parse_session_version(metadata):
                    state[SESSION_VERSION_KEY] = version
                _raise_if_failed(event)
        except (A2AClientError, A2AError, httpx.HTTPError, TimeoutError, _RemoteFailure) as exc:
            logger.warning("specialist %s failed: %s: %s", name, type(exc).__name__, exc)
            if isinstance(exc, (A2AClientError, httpx.HTTPError)):  # the transport failed: connect afresh next time
                self._directory.forget(name, f"{type(exc).__name__}: {exc}")
            record_error(span, exc)
            if run is not None:
                run.failed_specialists.append(name)
            apology = ("\n\n" if streamed else "") + APOLOGY.format(topic=name.replace("-", " "))
            yield _text_update(apology, response_id, {FAILURE_NOTICE: True})
            outcome.handoff = None
            state[FAILED_LAST_KEY] = True
            state.pop(SESSION_VERSION_KEY, None)  # what the specialist saved, if anything, is unknown
        finally:
            handoff = outcome.handoff
            finish_span(span, handoff_attributes(name, handoff.target, handoff.reason) if handoff else None)

    def _request(
        self, turns: list[Message], state: Mapping[str, Any], offered: Mapping[str, Any]
    ) -> SendMessageRequest:
        parts = []
        for message in turns:
            part = Part(text=message.text)
            part.metadata.update(turn_metadata(message.role, message.author_name))
            parts.append(part)
        a2a_message = A2AMessage(
            role=Role.ROLE_USER,
            message_id=uuid.uuid4().hex,
            context_id=state.get("context_id", ""),
            parts=parts,
        )
        request = SendMessageRequest(message=a2a_message)
        targets = [HandoffTarget(handoff_tool_target(n) or n, t.description or "") for n, t in offered.items()]
        request.metadata.update(targets_metadata(targets))
        if version := state.get(SESSION_VERSION_KEY):
            request.metadata[SESSION_VERSION_KEY] = version
        return request


class A2AProxyChatClient(FunctionInvocationLayer, ChatMiddlewareLayer, _A2AProxyCore):
    """The proxy's chat client: function invocation (for the handoff tools) and chat middleware layers."""


def build_proxy_agent(name: str, directory: SpecialistDirectory, tokens: ServiceTokens) -> Agent:
    """The mesh participant standing for specialist `name`, whether or not its card is fetched yet.

    Its routing prompt is the shared definition's description (the same text the specialist's card
    carries), so the mesh, and every checkpoint of it, has the same participants from the start.
    """
    return Agent(
        client=A2AProxyChatClient(name=name, directory=directory, tokens=tokens),
        name=name,
        description=get_definition(name).description,
        middleware=[_SessionToKwargs()],
        # The remote specialist keeps the conversation; the proxy needs no history of its own, only the
        # turns the mesh hands it since its last run. Keeping none also keeps checkpoints small.
        context_providers=[InMemoryHistoryProvider(load_messages=False, store_inputs=False, store_outputs=False)],
        require_per_service_call_history_persistence=True,
    )


def _text_update(text: str, response_id: str, properties: dict[str, Any] | None = None) -> ChatResponseUpdate:
    return ChatResponseUpdate(
        role="assistant",
        contents=[Content.from_text(text, additional_properties=properties)],
        response_id=response_id,
        message_id=response_id,
    )


def _texts(event: StreamResponse) -> list[str]:
    kind = event.WhichOneof("payload")
    if kind == "artifact_update":
        return [p.text for p in event.artifact_update.artifact.parts if p.text]
    if kind == "message":
        return [p.text for p in event.message.parts if p.text]
    return []


def _event_metadata(event: StreamResponse) -> dict[str, Any]:
    kind = event.WhichOneof("payload")
    if kind == "status_update":
        return MessageToDict(event.status_update.metadata)
    if kind == "message":
        return MessageToDict(event.message.metadata)
    if kind == "task":
        return MessageToDict(event.task.metadata)
    return {}


def _remember_ids(event: StreamResponse, state: dict[str, Any]) -> None:
    kind = event.WhichOneof("payload")
    if kind in ("task", "status_update", "artifact_update", "message"):
        context_id = getattr(event, kind).context_id
        if context_id:
            state["context_id"] = context_id


def _raise_if_failed(event: StreamResponse) -> None:
    kind = event.WhichOneof("payload")
    status = event.status_update.status if kind == "status_update" else event.task.status if kind == "task" else None
    if status is not None and status.state in (TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED):
        detail = " ".join(p.text for p in status.message.parts if p.text)
        raise _RemoteFailure(detail or TaskState.Name(status.state))
