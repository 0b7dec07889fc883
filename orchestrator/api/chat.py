"""`POST /api/chat`: one shopper message, answered as JSON or as server-sent events."""

import json
from collections.abc import AsyncGenerator, AsyncIterator
from email.message import Message
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from sse_starlette import EventSourceResponse

from orchestrator.api.dependencies import AppSettings, Service, Shopper
from orchestrator.api.errors import ApiError, documented, error_response, unexpected_failure
from orchestrator.api.models import ChatAnswer, ChatRequest
from orchestrator.api.text import storable
from orchestrator.conversation_store import ConversationBusy, ConversationNotFound
from orchestrator.turns import ChatEvent, Turn

router = APIRouter(tags=["chat"])


async def require_json(request: Request) -> None:
    """415 unless the body is declared as JSON (a coroutine, so FastAPI does not run it on its thread pool)."""
    declared = Message()
    declared["content-type"] = request.headers.get("content-type", "")
    subtype = declared.get_content_subtype()
    if declared.get_content_maintype() != "application" or not (subtype == "json" or subtype.endswith("+json")):
        raise HTTPException(415, detail="send the body as JSON with Content-Type: application/json")


@router.post(
    "/api/chat",
    response_model=ChatAnswer,
    responses={
        **documented(400, 401, 404, 409, 415, 422, 503),
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
    },
    dependencies=[Depends(require_json)],
    summary="Send a shopper message (JSON, or server-sent events with Accept: text/event-stream)",
)
async def chat(
    body: ChatRequest, request: Request, customer_id: Shopper, service: Service, settings: AppSettings
) -> Any:
    text = checked_message(body.message, settings.max_message_chars)
    turn = await open_turn(service, body.conversation_id, customer_id, text)
    events = turn.events()
    if "text/event-stream" in request.headers.get("accept", ""):
        return EventSourceResponse(_sse(events), ping=15)
    try:
        async for event in events:
            if event.kind == "done":
                return event.data
            if event.kind == "error":
                return error_response(503, "turn_failed", event.data["message"], conversation_id=turn.conversation_id)
    finally:
        await events.aclose()
    return error_response(503, "turn_failed", "the turn ended without an answer", conversation_id=turn.conversation_id)


def checked_message(message: str, max_chars: int) -> str:
    """The shopper's message stripped; 422 when blank, unstorable or longer than `max_chars` as sent."""
    try:
        text = storable(message).strip()
    except ValueError as exc:
        raise HTTPException(422, detail=f"message: {exc}") from None
    if not text:
        raise HTTPException(422, detail="message must not be empty")
    if len(message) > max_chars:
        raise ApiError(422, "message_too_long", f"message is {len(message)} characters long; the limit is {max_chars}")
    return text


async def open_turn(
    service: Service,
    conversation_id: str | None,
    customer_id: str | None,
    text: str,
    *,
    start_if_missing: bool = False,
) -> Turn:
    """Take the conversation's lease for a turn of `text`; 404 for someone else's or an unknown one, 409 when busy."""
    try:
        conversations = service.conversations
        return await conversations.open_turn(conversation_id, customer_id, text, start_if_missing=start_if_missing)
    except ConversationNotFound:
        raise HTTPException(404, detail=f"no conversation {conversation_id!r}") from None
    except ConversationBusy:
        raise HTTPException(409, detail="this conversation is still answering a previous message") from None


async def _sse(events: AsyncGenerator[ChatEvent, None]) -> AsyncIterator[dict[str, str]]:
    """The turn's events as SSE; a failure of any kind ends the stream with an `error` event `{error, message}`."""
    try:
        async for event in events:
            data = {"error": "turn_failed", **event.data} if event.kind == "error" else event.data
            yield {"event": event.kind, "data": json.dumps(data)}
    except Exception as exc:
        failure = unexpected_failure(exc)
        yield {"event": "error", "data": json.dumps({"error": failure.error, "message": failure.message})}
    finally:
        await events.aclose()
