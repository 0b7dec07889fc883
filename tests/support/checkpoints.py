"""Read and rewrite a conversation's stored workflow checkpoint, as the database holds it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.maf_internals import encode_checkpoint_value
from orchestrator.checkpoint_codec import decode_checkpoint
from orchestrator.tables import workflow_checkpoints


async def stored_checkpoint(engine: AsyncEngine, conversation_id: str) -> dict[str, Any]:
    """The decoded checkpoint the conversation's next turn resumes."""
    t = workflow_checkpoints.c
    async with engine.connect() as conn:
        data = (await conn.execute(select(t.data).where(t.conversation_id == conversation_id))).scalar_one()
    return decode_checkpoint(data)


async def overwrite_checkpoint(engine: AsyncEngine, conversation_id: str, value: dict[str, Any]) -> None:
    """Store `value` as the conversation's checkpoint (to craft a broken one), in MAF's encoding: the one
    rows written before `orchestrator.checkpoint_codec` hold, which must stay readable."""
    t = workflow_checkpoints.c
    data = json.dumps(encode_checkpoint_value(value))
    async with engine.begin() as conn:
        await conn.execute(update(workflow_checkpoints).where(t.conversation_id == conversation_id).values(data=data))
