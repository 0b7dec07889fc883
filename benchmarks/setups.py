"""The compared setups behind one interface: say a shopper message in a chat, get the measured turn.

- `a2a_mesh`: the project as it runs, the orchestrator in this process and the specialists as services;
- `in_process_mesh`: the same mesh with the specialists as local agents (the floor for transport cost);
- the router-tool baseline lives in `benchmarks.baseline`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from agent_framework import BaseChatClient
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.database import create_engine
from agents.definitions import SPECIALIST_NAMES, get_definition
from agents.run_context import ModelUsage
from agents.settings import Settings
from benchmarks.models import chat_clients
from orchestrator.checkpoints import Window
from orchestrator.first_pass import first_pass_router
from orchestrator.mesh import MeshFactory, build_orchestrator_agent
from orchestrator.service import start_orchestrator
from orchestrator.turns import Conversations
from specialists.host.app import build_specialist_agent
from specialists.service import TOOLSETS
from specialists.store.database import Store, open_store

SETUP_KEYS = ("a2a", "in_process", "baseline")  # the compared setups, in table order


def settings_from(env: Mapping[str, str]) -> Settings:
    """Settings of this process for a system started with `env` (the variables the setups care about)."""
    values = {name: env[name.upper()] for name in Settings.model_fields if name.upper() in env}
    return Settings(**values)


@dataclass
class Chat:
    """One conversation as a setup keeps track of it."""

    customer_id: str | None
    conversation_id: str | None = None


@dataclass
class TurnResult:
    """What one shopper turn produced and cost."""

    ok: bool
    reply: str = ""
    agent: str | None = None
    route: list[str] = field(default_factory=list)
    usage: ModelUsage = field(default_factory=ModelUsage)
    latency_s: float = 0.0
    first_text_s: float | None = None
    bytes_sent: int = 0


class ByteCounter:
    """An httpx request hook adding up the body bytes of POSTs (the A2A calls) a client sends."""

    def __init__(self) -> None:
        self.total = 0

    async def __call__(self, request: httpx.Request) -> None:
        """Count one request."""
        if request.method == "POST":
            self.total += int(request.headers.get("content-length") or len(request.content))

    def attach(self, client: httpx.AsyncClient) -> None:
        """Hook into every request `client` sends."""
        hooks = client.event_hooks
        client.event_hooks = {**hooks, "request": [*hooks.get("request", []), self]}


class Setup(ABC):
    """A way of answering shoppers, measured turn by turn."""

    key: str
    title: str

    @abstractmethod
    async def say(self, chat: Chat, text: str) -> TurnResult:
        """Answer `text` in `chat` and measure the turn."""


class MeshSetup(Setup):
    """The handoff mesh driven as the chat API drives it: `open_turn`, then the turn's events.

    With `counter`, the specialists are remote and the counter sees the bytes sent to them; without, they
    are local agents whose tools read the shopper from the turn's run context, as they do in a service.
    """

    def __init__(self, key: str, title: str, conversations: Conversations, counter: ByteCounter | None) -> None:
        self.key = key
        self.title = title
        self._conversations = conversations
        self._counter = counter

    async def say(self, chat: Chat, text: str) -> TurnResult:
        """One turn, measured."""
        sent = self._counter.total if self._counter else 0
        start = time.perf_counter()
        turn = await self._conversations.open_turn(chat.conversation_id, chat.customer_id, text)
        chat.conversation_id = turn.conversation_id
        first_text: float | None = None
        answer: dict[str, Any] | None = None
        async for event in turn.events():
            if event.kind == "delta" and first_text is None:
                first_text = time.perf_counter() - start
            elif event.kind == "done":
                answer = event.data
        result = TurnResult(
            ok=answer is not None,
            latency_s=time.perf_counter() - start,
            first_text_s=first_text,
            bytes_sent=(self._counter.total - sent) if self._counter else 0,
        )
        if answer is not None:
            result.reply = answer["reply"]
            result.agent = answer["agent"]
            result.route = list(answer["route"])
            result.usage = ModelUsage(**answer["usage"])
        return result


@asynccontextmanager
async def a2a_mesh(settings: Settings) -> AsyncIterator[MeshSetup]:
    """The orchestrator service of the product, over the specialists running at `settings`' URLs."""
    async with chat_clients(settings) as make:
        service = await start_orchestrator(settings, chat_client=make())
        await service.warming  # a service fills its idle pool in its first seconds; here, before any measured turn
        counter = ByteCounter()
        counter.attach(service.http)
        try:
            yield MeshSetup("a2a", "mesh over A2A", service.conversations, counter)
        finally:
            await service.close()


@asynccontextmanager
async def in_process_mesh(settings: Settings) -> AsyncIterator[MeshSetup]:
    """The same mesh with each specialist a local MAF agent over its own store (no transport at all)."""
    store = await open_store(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with chat_clients(settings) as make:
            yield MeshSetup("in_process", "mesh in-process", _local_conversations(settings, store, engine, make), None)
    finally:
        await engine.dispose()
        await store.close()


def _local_conversations(
    settings: Settings, store: Store, engine: AsyncEngine, make: Callable[[], BaseChatClient]
) -> Conversations:
    """The mesh's conversations with every specialist a local agent over `store`."""
    specialists = [
        build_specialist_agent(get_definition(name), make(), TOOLSETS[name](store), for_handoff_mesh=True)
        for name in SPECIALIST_NAMES
    ]
    orchestrator = build_orchestrator_agent(make(), router=first_pass_router(settings))
    return Conversations(
        engine,
        MeshFactory(orchestrator, specialists, max_idle=settings.mesh_idle_workflows),
        max_handoffs=settings.max_handoffs_per_turn,
        turn_timeout_s=settings.turn_timeout_s,
        window=Window(settings.mesh_history_messages, settings.agent_window_tokens),
        lease_s=settings.conversation_lease_s,
    )
