"""The router-tool baseline: the design the handoff mesh replaced, rebuilt for comparison only.

The orchestrator's model has one tool, `call_specialist_agent(agent_name, message)`. It sends the
message over A2A (`SendMessage`) to the named specialist service, in one A2A context per conversation
and specialist, and returns the specialist's answer text, which the orchestrator's model then restates.
Every shopper message goes through the orchestrator's model, follow-ups included.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Literal

import httpx
from a2a.client import A2ACardResolver, Client, ClientCallContext, ClientConfig, ClientFactory
from a2a.types import Message as A2AMessage
from a2a.types import Part, Role, SendMessageRequest, StreamResponse
from agent_framework import Agent, AgentSession, BaseChatClient, FunctionTool, tool
from google.protobuf.json_format import MessageToDict
from pydantic import Field

from agents.definitions import SPECIALISTS
from agents.handoff_extension import parse_usage
from agents.run_context import RunContext, UsageMeter, current_run, running
from agents.settings import Settings
from benchmarks.models import chat_clients
from benchmarks.setups import ByteCounter, Chat, Setup, TurnResult
from orchestrator.directory import build_http_client
from orchestrator.proxy import ServiceTokens

logger = logging.getLogger(__name__)

TOOL_NAME = "call_specialist_agent"
SpecialistName = Literal[
    "product-discovery", "order-management", "pricing-promotions", "review-sentiment", "inventory-fulfillment"
]

AGENT_NAME_HELP = "The specialist agent that owns the ask, one of:\n" + "\n".join(
    f"- {d.name}: {d.description}" for d in SPECIALISTS
)
INSTRUCTIONS = (
    "You are the front desk of an online store's support chat. For anything about products, orders, prices "
    "and coupons, reviews, or stock and shipping, call call_specialist_agent with the specialist that owns "
    "the ask and the shopper's message, then answer the shopper with what the specialist said. Greet the "
    "shopper and answer general questions yourself; never invent store facts."
)


@dataclass(kw_only=True)
class _RouterRun(RunContext):
    """What the tool needs and finds during one shopper turn."""

    context_ids: dict[str, str]
    called: list[str] = field(default_factory=list)


def router_tool(send: Callable[[str, str], Awaitable[str]]) -> FunctionTool:
    """`call_specialist_agent(agent_name, message)`: `send` delivers the message and returns the answer text."""

    async def call_specialist_agent(
        agent_name: Annotated[SpecialistName, Field(description=AGENT_NAME_HELP)],
        message: Annotated[str, Field(description="The shopper's message, as the specialist should read it")],
    ) -> str:
        return await send(agent_name, message)

    return tool(
        call_specialist_agent,
        name=TOOL_NAME,
        description="Ask a specialist agent of the store and get its answer for the shopper.",
    )


class RouterBaseline(Setup):
    """An orchestrator agent with the one router tool, over the running specialist services."""

    key = "baseline"
    title = "router-tool baseline"

    def __init__(
        self, model: BaseChatClient, clients: dict[str, Client], tokens: ServiceTokens, counter: ByteCounter
    ) -> None:
        self._clients = clients
        self._tokens = tokens
        self._counter = counter
        self._sessions: dict[str, AgentSession] = {}
        self._context_ids: dict[str, dict[str, str]] = {}
        self.agent = Agent(
            client=model,
            name="orchestrator",
            instructions=INSTRUCTIONS,
            tools=[router_tool(self._call)],
            middleware=[UsageMeter()],
        )

    async def _call(self, name: str, message: str) -> str:
        turn = current_run(_RouterRun)
        if turn is None:
            raise RuntimeError(f"{TOOL_NAME} runs only inside a baseline turn")
        turn.called.append(name)
        return await self._send(name, message, turn)

    async def _send(self, name: str, text: str, turn: _RouterRun) -> str:
        request = SendMessageRequest(
            message=A2AMessage(
                role=Role.ROLE_USER,
                message_id=uuid.uuid4().hex,
                context_id=turn.context_ids.get(name, ""),
                parts=[Part(text=text)],
            )
        )
        token = self._tokens.for_call(name, turn.customer_id)
        call = ClientCallContext(service_parameters={"Authorization": f"Bearer {token}"})
        answer: list[str] = []
        async for event in self._clients[name].send_message(request, context=call):
            answer.extend(_answer_texts(event))
            if event.WhichOneof("payload") == "task":
                turn.context_ids[name] = event.task.context_id
                turn.usage.add(parse_usage(MessageToDict(event.task.metadata)))
        return "".join(answer)

    async def say(self, chat: Chat, text: str) -> TurnResult:
        """One turn: the orchestrator's model routes through the tool, then restates the answer."""
        if chat.conversation_id is None:
            chat.conversation_id = uuid.uuid4().hex
        session = self._sessions.setdefault(chat.conversation_id, AgentSession())
        contexts = self._context_ids.setdefault(chat.conversation_id, {})
        turn = _RouterRun(customer_id=chat.customer_id, context_ids=contexts)
        sent = self._counter.total
        start = time.perf_counter()
        first_text: float | None = None
        reply: list[str] = []
        ok = True
        try:
            with running(turn):
                stream = self.agent.run(text, session=session, stream=True)
                async for update in stream:
                    if update.text:
                        first_text = first_text if first_text is not None else time.perf_counter() - start
                        reply.append(update.text)
                await stream.get_final_response()
        except Exception:  # a failed turn is a measured outcome, as the chat API's `error` event is for the mesh
            logger.exception("baseline turn failed")
            ok = False
        return TurnResult(
            ok=ok,
            reply="".join(reply),
            agent=turn.called[-1] if turn.called else None,
            route=["orchestrator", *turn.called],
            usage=turn.usage,
            latency_s=time.perf_counter() - start,
            first_text_s=first_text,
            bytes_sent=self._counter.total - sent,
        )


def _answer_texts(event: StreamResponse) -> list[str]:
    """The answer text of a (non-streaming) `SendMessage` result: the task's artifacts or a direct message."""
    kind = event.WhichOneof("payload")
    if kind == "task":
        return [p.text for a in event.task.artifacts for p in a.parts if p.text]
    if kind == "message":
        return [p.text for p in event.message.parts if p.text]
    return []


@asynccontextmanager
async def router_baseline(settings: Settings) -> AsyncIterator[RouterBaseline]:
    """The baseline over the specialists at `settings`' URLs, with its own pooled HTTP client."""
    http: httpx.AsyncClient = build_http_client(settings, settings.specialist_urls().values())
    counter = ByteCounter()
    try:
        factory = ClientFactory(ClientConfig(streaming=False, httpx_client=http))
        clients = {}
        for name, url in settings.specialist_urls().items():
            clients[name] = factory.create(await A2ACardResolver(http, url).get_agent_card())
        counter.attach(http)
        tokens = ServiceTokens(settings.service_token_secret.get_secret_value(), settings.service_token_ttl_s)
        async with chat_clients(settings) as make:
            yield RouterBaseline(make(), clients, tokens, counter)
    finally:
        await http.aclose()
