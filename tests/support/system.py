"""The real system on loopback for tests: a seeded store, specialist services, the orchestrator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from agent_framework import SupportsChatGetResponse

from agents.definitions import SPECIALIST_NAMES
from agents.identity import (
    ORCHESTRATOR_ISSUER,
    STOREFRONT_AUDIENCE,
    STOREFRONT_ISSUER,
    TokenCodec,
)
from agents.settings import Settings
from orchestrator.api import create_api
from orchestrator.service import OrchestratorService, start_orchestrator
from specialists.service import build_specialist_app
from specialists.store.database import Store, open_store
from tests.support.servers import free_port, serving


def system_settings(tmp_path: Any, **overrides: Any) -> Settings:
    """Settings for a system under test: its own SQLite file, free ports for every specialist, and a small
    idle pool of mesh workflows (a test runs a few conversations, not a storefront's hundred). The specialists
    serve A2A's gRPC binding too, on free ports, unless `a2a_grpc=False`."""
    urls = {f"{n.replace('-', '_')}_url": f"http://127.0.0.1:{free_port()}" for n in SPECIALIST_NAMES}
    urls |= {f"{n.replace('-', '_')}_grpc_url": f"127.0.0.1:{free_port()}" for n in SPECIALIST_NAMES}
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/store.db",
        "mesh_idle_workflows": 4,
        **urls,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Specialists:
    """Running specialist services and how to reach them as a peer would."""

    settings: Settings
    store: Store
    urls: dict[str, str]
    servers: dict[str, AsyncExitStack] = field(default_factory=dict)
    models: Mapping[str, SupportsChatGetResponse] = field(default_factory=dict)

    def service_token(self, name: str, customer_id: str | None, ttl_s: int = 60) -> str:
        codec = TokenCodec(self.settings.service_token_secret.get_secret_value(), ORCHESTRATOR_ISSUER)
        return codec.mint(name, customer_id, ttl_s)

    async def stop(self, name: str) -> None:
        """Stop one specialist (to simulate an outage)."""
        await self.servers.pop(name).aclose()

    async def start(self, name: str, chat_client: SupportsChatGetResponse | None = None) -> None:
        """(Re)start one specialist on its configured ports (HTTP, and gRPC unless off), on `chat_client`, else
        its model in `models`."""
        url = self.urls[name]
        chat_client = chat_client or self.models.get(name)
        grpc_bind = self.settings.specialist_grpc_urls().get(name)
        app = await build_specialist_app(
            name, self.settings, self.store, base_url=url, chat_client=chat_client, grpc_bind=grpc_bind
        )
        stack = AsyncExitStack()
        await stack.enter_async_context(serving(app, port=int(url.rsplit(":", 1)[1])))
        self.servers[name] = stack


@asynccontextmanager
async def running_specialists(
    settings: Settings,
    names: tuple[str, ...] = SPECIALIST_NAMES,
    models: Mapping[str, SupportsChatGetResponse] | None = None,
) -> AsyncIterator[Specialists]:
    """Open (and seed) the store and serve the specialists on their loopback ports (on `models` by name, if given)."""
    store = await open_store(settings.database_url)
    running = Specialists(settings, store, settings.specialist_urls(), models=models or {})
    try:
        for name in names:
            await running.start(name)
        yield running
    finally:
        for name in list(running.servers):
            await running.stop(name)
        await store.close()


@dataclass
class System:
    """Specialists plus the orchestrator and an HTTP client on its chat API."""

    specialists: Specialists
    service: OrchestratorService
    api: httpx.AsyncClient

    def shopper_token(self, customer_id: str) -> str:
        codec = TokenCodec(self.specialists.settings.storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)
        return codec.mint(STOREFRONT_AUDIENCE, customer_id, 600)

    async def chat(
        self, message: str, conversation_id: str | None = None, customer: str | None = None
    ) -> httpx.Response:
        headers = {"authorization": f"Bearer {self.shopper_token(customer)}"} if customer else {}
        return await self.api.post(
            "/api/chat", json={"message": message, "conversation_id": conversation_id}, headers=headers
        )


@asynccontextmanager
async def running_system(
    settings: Settings,
    *,
    orchestrator_model: SupportsChatGetResponse | None = None,
    models: Mapping[str, SupportsChatGetResponse] | None = None,
) -> AsyncIterator[System]:
    """The whole system: specialists on loopback, the orchestrator in-process behind its API.

    `models` puts agents (by name, the orchestrator included) on the given chat clients."""
    models = models or {}
    async with running_specialists(settings, models=models) as specialists:
        service = await start_orchestrator(settings, chat_client=orchestrator_model or models.get("orchestrator"))
        app = create_api(settings, service)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://storefront.test", timeout=60) as api:
                yield System(specialists, service, api)
        finally:
            await service.close()
