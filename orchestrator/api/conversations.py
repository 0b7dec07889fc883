"""`GET /api/conversations/{id}`: a conversation's transcript."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path

from orchestrator.api.dependencies import Service, Shopper
from orchestrator.api.errors import documented
from orchestrator.api.models import StorableText, Transcript
from orchestrator.api.text import STORABLE_PATTERN
from orchestrator.conversation_store import ConversationNotFound

router = APIRouter(tags=["conversations"])

ConversationId = Annotated[StorableText, Path(max_length=64, json_schema_extra={"pattern": STORABLE_PATTERN})]


@router.get(
    "/api/conversations/{conversation_id}",
    response_model=Transcript,
    responses=documented(401, 404, 422, 503),
    summary="The conversation's transcript",
)
async def conversation(conversation_id: ConversationId, customer_id: Shopper, service: Service) -> dict[str, Any]:
    try:
        return await service.conversations.transcript(conversation_id, customer_id)
    except ConversationNotFound:
        raise HTTPException(404, detail=f"no conversation {conversation_id!r}") from None
