"""Assembles the orchestrator: store connection, specialist discovery, proxies, mesh and conversations."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx
from agent_framework import SupportsChatGetResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.database import create_engine, pool_options
from agents.migrations import require_current
from agents.models import build_chat_client, close_chat_client
from agents.settings import Settings
from orchestrator.checkpoints import Window
from orchestrator.directory import SpecialistDirectory, build_http_client
from orchestrator.first_pass import first_pass_router
from orchestrator.mesh import MeshFactory, build_orchestrator_agent
from orchestrator.proxy import ServiceTokens, build_proxy_agent
from orchestrator.turns import Conversations

logger = logging.getLogger(__name__)


@dataclass
class OrchestratorService:
    """The running orchestrator's parts."""

    settings: Settings
    engine: AsyncEngine
    http: httpx.AsyncClient
    directory: SpecialistDirectory
    mesh: MeshFactory
    conversations: Conversations
    warming: asyncio.Task[None]
    own_model: SupportsChatGetResponse | None = None  # the chat client built here, not passed in

    async def close(self) -> None:
        """Stop warming the mesh and discovery, close the HTTP pool, the model's client and the database engine."""
        self.warming.cancel()
        await asyncio.gather(self.warming, return_exceptions=True)  # a failed warm-up does not stop the close
        await self.directory.close()
        await self.http.aclose()
        if self.own_model is not None:
            await close_chat_client(self.own_model)
        await self.engine.dispose()


async def start_orchestrator(
    settings: Settings, *, chat_client: SupportsChatGetResponse | None = None
) -> OrchestratorService:
    """Connect, look for the specialists and build the mesh of all of them.

    Specialists not up yet are reported (`directory.missing()`) and looked for in the background;
    until one appears, its proxy apologises for it. The mesh's idle workflows are built in the
    background too (`MeshFactory.warm`).
    """
    engine = create_engine(settings.database_url, **pool_options(settings, orchestrator=True))
    try:
        await require_current(engine)
    except BaseException:
        await engine.dispose()
        raise
    urls = settings.specialist_urls()
    http = build_http_client(settings, urls.values())
    directory = SpecialistDirectory(
        http, urls, settings.specialist_grpc_urls(), grpc_deadline_s=settings.a2a_read_timeout_s
    )
    await directory.discover()
    directory.start_background_discovery()
    tokens = ServiceTokens(settings.service_token_secret.get_secret_value(), settings.service_token_ttl_s)
    proxies = [build_proxy_agent(name, directory, tokens) for name in directory.urls]
    model = chat_client if chat_client is not None else build_chat_client(settings)
    orchestrator = build_orchestrator_agent(model, router=first_pass_router(settings))
    mesh = MeshFactory(orchestrator, proxies, max_idle=settings.mesh_idle_workflows)
    conversations = Conversations(
        engine,
        mesh,
        max_handoffs=settings.max_handoffs_per_turn,
        turn_timeout_s=settings.turn_timeout_s,
        window=Window(settings.mesh_history_messages, settings.agent_window_tokens),
        lease_s=settings.conversation_lease_s,
    )
    logger.info("mesh ready: %s; not up yet: %s", mesh.participant_names, sorted(directory.missing()) or "none")
    warming = asyncio.create_task(mesh.warm(), name="mesh warm-up")
    own_model = None if model is chat_client else model
    return OrchestratorService(settings, engine, http, directory, mesh, conversations, warming, own_model)
