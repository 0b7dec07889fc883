"""The app factory: the routers, the error handlers and the orchestrator service's lifetime."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from agents.identity import STOREFRONT_ISSUER, TokenCodec
from agents.settings import Environment, Settings
from orchestrator.api import agents, agui, chat, conversations, dev_signin, health, web
from orchestrator.api.errors import install_error_handlers
from orchestrator.service import OrchestratorService, start_orchestrator

ROUTERS = (chat.router, conversations.router, agents.router, health.router, agui.router, web.router)


def create_api(settings: Settings, service: OrchestratorService | None = None) -> FastAPI:
    """The FastAPI app; starts its own orchestrator service unless one is given.

    More routers join with `app.include_router`; they reach the service, settings and shopper
    through the providers in `orchestrator.api.dependencies`.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is not None:
            yield
            return
        app.state.service = await start_orchestrator(settings)
        # What start-up built (modules, clients, agents) lives as long as the process: kept out of the
        # cyclic collector's passes, a full collection no longer walks it.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await app.state.service.close()

    app = FastAPI(
        title="ecommerce-agents storefront chat",
        version="1.0.0",
        description="Customer-support chat: an orchestrator and five specialists in a handoff mesh.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.token_codec = TokenCodec(settings.storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)
    if service is not None:
        app.state.service = service
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    if settings.environment is not Environment.PRODUCTION:
        app.include_router(dev_signin.router)
    web.mount_assets(app)
    app.openapi = partial(_openapi, app, settings)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The OpenAPI document, with the limits that come from settings."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        message = document["components"]["schemas"]["ChatRequest"]["properties"]["message"]
        message["maxLength"] = settings.max_message_chars
        app.openapi_schema = document
    return app.openapi_schema
