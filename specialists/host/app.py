"""Assembles a specialist's A2A service: card, JSON-RPC endpoint, token check and health."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import add_a2a_routes_to_fastapi, create_agent_card_routes, create_jsonrpc_routes
from agent_framework import Agent, FunctionTool, SupportsChatGetResponse
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.middleware.authentication import AuthenticationMiddleware

from agents.definitions import AgentDefinition
from agents.identity import ORCHESTRATOR_ISSUER, RememberingTokenCodec
from agents.readiness import RETRY_AFTER_S, store_problem
from agents.run_context import UsageMeter
from agents.settings import Settings
from specialists.host.auth import IdentityContextBuilder, ServiceTokenBackend, unauthorized
from specialists.host.card import RPC_PATH, build_agent_card
from specialists.host.confirmations import ActionHandler
from specialists.host.executor import NewContextMarker, SpecialistExecutor
from specialists.host.grpc_binding import GrpcBinding
from specialists.host.handoffs import HandoffWatcher
from specialists.host.sessions import SessionStore
from specialists.host.task_store import BoundedTaskStore

# One A2A message carries every turn the specialist has not seen yet: the shopper's message (at most
# `max_message_chars`, checked by the chat API) and the replies of other agents since it last spoke.
# Room for four messages' worth bounds a request without refusing an ordinary hand-over.
FORWARDED_TURNS_ROOM = 4


def build_specialist_agent(
    definition: AgentDefinition,
    client: SupportsChatGetResponse,
    tools: Sequence[FunctionTool],
    *,
    for_handoff_mesh: bool = False,
) -> Agent:
    """The specialist's MAF agent: its instructions, its tools, handoff and usage watchers.

    `for_handoff_mesh` builds it to be a local participant of a `HandoffBuilder` mesh, which needs
    history persisted per model call.
    """
    return Agent(
        client=client,
        name=definition.name,
        description=definition.description,
        instructions=definition.instructions,
        tools=list(tools),
        middleware=[HandoffWatcher(), UsageMeter()],
        require_per_service_call_history_persistence=for_handoff_mesh,
    )


def create_specialist_app(
    definition: AgentDefinition,
    agent: Agent,
    sessions: SessionStore,
    settings: Settings,
    *,
    base_url: str,
    actions: Mapping[str, ActionHandler] | None = None,
    grpc_url: str | None = None,
    grpc_bind: str | None = None,
) -> FastAPI:
    """A FastAPI app serving `agent` over A2A 1.0 (JSON-RPC binding) at `base_url`.

    With `grpc_url` (the address callers use) and `grpc_bind` (the `host:port` this replica binds), the
    app also serves A2A's gRPC binding while it runs, through the same request handler and token check.
    """
    card = build_agent_card(definition, base_url, grpc_url if grpc_bind else None)
    room = settings.max_message_chars * FORWARDED_TURNS_ROOM
    executor = SpecialistExecutor(
        agent, sessions, max_message_chars=room, coalesce_s=settings.stream_coalesce_ms / 1000, actions=actions
    )
    handler = DefaultRequestHandler(
        agent_executor=executor,
        task_store=BoundedTaskStore(),
        agent_card=card,
        request_context_builder=NewContextMarker(),
    )
    codec = RememberingTokenCodec(settings.service_token_secret.get_secret_value(), ORCHESTRATOR_ISSUER)
    binding = GrpcBinding(handler, codec, definition.name, grpc_bind) if grpc_url and grpc_bind else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if binding is None:
            yield
            return
        await binding.start()
        try:
            yield
        finally:
            await binding.stop()

    app = FastAPI(title=f"{definition.name} (A2A specialist)", version=card.version, lifespan=lifespan)
    add_a2a_routes_to_fastapi(
        app,
        agent_card_routes=create_agent_card_routes(card),
        jsonrpc_routes=create_jsonrpc_routes(handler, rpc_url=RPC_PATH, context_builder=IdentityContextBuilder()),
    )
    app.add_middleware(
        AuthenticationMiddleware,
        backend=ServiceTokenBackend(codec, definition.name, frozenset({RPC_PATH})),
        on_error=unauthorized,
    )

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """Liveness and identity of this specialist."""
        return {"status": "ok", "agent": definition.name}

    @app.get("/readyz", tags=["health"], responses={503: {"description": "The store does not take writes"}})
    async def readyz() -> JSONResponse:
        """Readiness: 200 when the store (sessions, orders) takes writes, else 503 saying why."""
        problem = await store_problem(sessions.engine)
        if problem is None:
            return JSONResponse({"status": "ready", "agent": definition.name, "store": "writable"})
        message = f"the store does not take writes ({problem})"
        body = {"error": "not_ready", "message": message, "agent": definition.name, "store": problem}
        return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})

    return app
