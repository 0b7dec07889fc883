"""`GET /api/conversations/{id}`: a conversation's transcript."""

from typing import Any

from fastapi import APIRouter, HTTPException

from orchestrator.api.dependencies import Service, Shopper
from orchestrator.conversation_store import ConversationNotFound

router = APIRouter(tags=["conversations"])


@router.get("/api/conversations/{conversation_id}", summary="The conversation's transcript")
async def conversation(conversation_id: str, customer_id: Shopper, service: Service) -> dict[str, Any]:
    try:
        return await service.conversations.transcript(conversation_id, customer_id)
    except ConversationNotFound:
        raise HTTPException(404, detail=f"no conversation {conversation_id!r}") from None
