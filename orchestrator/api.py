"""The storefront chat API: the way in for shoppers and storefront UIs."""

import json
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec, TokenError, bearer_token
from agents.settings import Settings
from orchestrator.conversations import ConversationBusy, ConversationNotFound, Turn, TurnEvent
from orchestrator.service import OrchestratorService, start_orchestrator


class ChatRequest(BaseModel):
    """A shopper message; `conversation_id` continues a conversation, null starts one."""

    message: str = Field(description="What the shopper says")
    conversation_id: str | None = Field(default=None, max_length=64)


class Usage(BaseModel):
    llm_calls: int
    input_tokens: int
    output_tokens: int


class Handoff(BaseModel):
    source: str
    target: str


class ChatAnswer(BaseModel):
    """The answer to one shopper message."""

    conversation_id: str
    reply: str
    agent: str | None
    route: list[str]
    handoffs: list[Handoff]
    usage: Usage


def _error(status: int, error: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status)


def create_api(settings: Settings, service: OrchestratorService | None = None) -> FastAPI:
    """The FastAPI app; starts its own orchestrator service unless one is given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if service is not None:
            app.state.service = service
            yield
            return
        app.state.service = await start_orchestrator(settings)
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
    if service is not None:
        app.state.service = service
    codec = TokenCodec(settings.storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in exc.errors()]
        return _error(422, "invalid_request", "; ".join(problems) or "invalid request")

    def shopper(authorization: Annotated[str | None, Header()] = None) -> str | None:
        if authorization is None:
            return None
        try:
            return codec.verify(bearer_token(authorization), STOREFRONT_AUDIENCE).customer_id
        except TokenError as exc:
            raise HTTPException(401, detail=str(exc), headers={"WWW-Authenticate": "Bearer"}) from None

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        names = {
            401: "unauthorized",
            404: "not_found",
            409: "conflict",
            413: "message_too_long",
            422: "invalid_request",
        }
        response = _error(exc.status_code, names.get(exc.status_code, "error"), str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    def get_service(request: Request) -> OrchestratorService:
        return request.app.state.service

    async def open_turn(body: ChatRequest, customer_id: str | None, svc: OrchestratorService) -> Turn:
        text = body.message.strip()
        if not text:
            raise HTTPException(422, detail="message must not be empty")
        if len(text) > settings.max_message_chars:
            raise HTTPException(
                413, detail=f"message is {len(text)} characters long; the limit is {settings.max_message_chars}"
            )
        try:
            return await svc.conversations.open_turn(body.conversation_id, customer_id)
        except ConversationNotFound:
            raise HTTPException(404, detail=f"no conversation {body.conversation_id!r}") from None
        except ConversationBusy:
            raise HTTPException(409, detail="this conversation is still answering a previous message") from None

    @app.post(
        "/api/chat",
        response_model=ChatAnswer,
        responses={401: {}, 404: {}, 409: {}, 413: {}, 422: {}, 503: {}},
        summary="Send a shopper message (JSON, or server-sent events with Accept: text/event-stream)",
    )
    async def chat(
        body: ChatRequest,
        request: Request,
        customer_id: Annotated[str | None, Depends(shopper)],
        svc: Annotated[OrchestratorService, Depends(get_service)],
    ) -> Any:
        turn = await open_turn(body, customer_id, svc)
        events = turn.events(body.message.strip())
        if "text/event-stream" in request.headers.get("accept", ""):
            return EventSourceResponse(_sse(events), ping=15)
        try:
            async for event in events:
                if event.kind == "done":
                    return event.data
                if event.kind == "error":
                    return _error(503, "turn_failed", event.data["message"], conversation_id=turn.conversation_id)
        finally:
            await events.aclose()
        return _error(503, "turn_failed", "the turn ended without an answer", conversation_id=turn.conversation_id)

    @app.get("/api/conversations/{conversation_id}", summary="The conversation's transcript")
    async def conversation(
        conversation_id: str,
        customer_id: Annotated[str | None, Depends(shopper)],
        svc: Annotated[OrchestratorService, Depends(get_service)],
    ) -> dict[str, Any]:
        try:
            return await svc.conversations.transcript(conversation_id, customer_id)
        except ConversationNotFound:
            raise HTTPException(404, detail=f"no conversation {conversation_id!r}") from None

    @app.get("/api/agents", summary="The specialists, from their agent cards, with reachability")
    async def agents(svc: Annotated[OrchestratorService, Depends(get_service)]) -> dict[str, Any]:
        reachable = await svc.directory.reachability()
        listed = [
            {
                "name": spec.name,
                "description": spec.card.description,
                "url": spec.base_url,
                "version": spec.card.version,
                "skills": [{"id": s.id, "name": s.name, "examples": list(s.examples)} for s in spec.card.skills],
                "in_mesh": True,
                "reachable": reachable.get(name, False),
            }
            for name, spec in svc.directory.specialists.items()
        ]
        listed += [
            {"name": name, "in_mesh": False, "reachable": False, "reason": reason}
            for name, reason in svc.directory.unreachable.items()
        ]
        return {"orchestrator": svc.mesh.orchestrator.name, "specialists": listed}

    @app.get("/healthz", summary="Liveness")
    async def healthz(svc: Annotated[OrchestratorService, Depends(get_service)]) -> dict[str, Any]:
        return {"status": "ok", "mesh": svc.mesh.participant_names}

    return app


async def _sse(events: AsyncGenerator[TurnEvent, None]) -> AsyncIterator[dict[str, str]]:
    try:
        async for event in events:
            yield {"event": event.kind, "data": json.dumps(event.data)}
    finally:
        await events.aclose()
