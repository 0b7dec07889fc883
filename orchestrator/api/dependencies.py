"""Dependency providers: the running service, the settings and the shopper of a request.

They are coroutines, though none awaits anything: FastAPI runs a plain function dependency on its
thread pool, one thread hop (and event-loop wake-up) per provider per request.
"""

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from agents.identity import STOREFRONT_AUDIENCE, TokenCodec, TokenError, bearer_token
from agents.settings import Settings
from orchestrator.service import OrchestratorService


async def get_service(request: Request) -> OrchestratorService:
    """The orchestrator service the app runs."""
    service: OrchestratorService = request.app.state.service
    return service


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_token_codec(request: Request) -> TokenCodec:
    """The codec that verifies storefront shopper tokens."""
    codec: TokenCodec = request.app.state.token_codec
    return codec


async def get_shopper(
    codec: Annotated[TokenCodec, Depends(get_token_codec)],
    authorization: Annotated[str | None, Header()] = None,
) -> str | None:
    """The signed-in shopper's customer id, None when anonymous; 401 on a bad token."""
    if authorization is None:
        return None
    try:
        return codec.verify(bearer_token(authorization), STOREFRONT_AUDIENCE).customer_id
    except TokenError as exc:
        raise HTTPException(401, detail=str(exc), headers={"WWW-Authenticate": "Bearer"}) from None


Service = Annotated[OrchestratorService, Depends(get_service)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Shopper = Annotated[str | None, Depends(get_shopper)]
