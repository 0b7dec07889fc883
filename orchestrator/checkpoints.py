"""Workflow checkpoints of one conversation, kept in the database.

Values are encoded with MAF's own checkpoint encoding (JSON with restricted pickles for framework
types) and decoded with an allow-list. On load the superstep counter is reset: MAF counts its
100-superstep limit over a workflow's whole life, so without the reset an ordinary conversation would
fail around its fiftieth turn; with it, each shopper turn gets the full limit as a backstop behind
the per-turn handoff budget.

Every agent of a handoff mesh keeps its own copy of the conversation (its pending messages, its
text-only transcript and its session history). Left alone they grow with every turn and so does each
checkpoint; `bound_histories` keeps the newest `max_messages` of each, like a sliding context window,
so a turn costs the same at turn 120 as at turn 2.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from agent_framework import WorkflowCheckpoint
from agent_framework._workflows._checkpoint_encoding import decode_checkpoint_value, encode_checkpoint_value
from agent_framework.exceptions import WorkflowCheckpointException
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from orchestrator.tables import workflow_checkpoints

ALLOWED_TYPES = frozenset({"types:GenericAlias"})
HISTORY_SOURCE = "in_memory"
TRANSCRIPT_KEEP = 2


class ConversationCheckpoints:
    """`CheckpointStorage` for the workflow of one conversation."""

    def __init__(self, engine: AsyncEngine, conversation_id: str, *, max_messages: int = 40) -> None:
        self._engine = engine
        self._conversation_id = conversation_id
        self._max_messages = max_messages

    async def save(self, checkpoint: WorkflowCheckpoint) -> str:
        """Store the checkpoint."""
        value = checkpoint.to_dict()
        bound_histories(value.get("state") or {}, self._max_messages)
        data = json.dumps(encode_checkpoint_value(value))
        async with self._engine.begin() as conn:
            await conn.execute(
                workflow_checkpoints.insert().values(
                    id=checkpoint.checkpoint_id,
                    conversation_id=self._conversation_id,
                    workflow_name=checkpoint.workflow_name,
                    created_at=datetime.now(UTC),
                    data=data,
                )
            )
        return checkpoint.checkpoint_id

    async def prune(self, keep_id: str) -> None:
        """Forget every checkpoint of this conversation but `keep_id` (the one its next turn resumes)."""
        t = workflow_checkpoints.c
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(workflow_checkpoints).where(t.conversation_id == self._conversation_id, t.id != keep_id)
            )

    async def load(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint, with its superstep counter reset for the coming turn."""
        t = workflow_checkpoints.c
        async with self._engine.connect() as conn:
            data = (
                await conn.execute(
                    select(t.data).where(t.id == checkpoint_id, t.conversation_id == self._conversation_id)
                )
            ).scalar_one_or_none()
        if data is None:
            raise WorkflowCheckpointException(f"no checkpoint {checkpoint_id} in conversation {self._conversation_id}")
        return self._decode(data)

    async def list_checkpoints(self, *, workflow_name: str) -> list[WorkflowCheckpoint]:
        """This conversation's checkpoints of `workflow_name`, oldest first."""
        return [self._decode(d) for d in await self._rows(workflow_name)]

    async def list_checkpoint_ids(self, *, workflow_name: str) -> list[str]:
        """Ids of this conversation's checkpoints of `workflow_name`, oldest first."""
        return [cp.checkpoint_id for cp in await self.list_checkpoints(workflow_name=workflow_name)]

    async def get_latest(self, *, workflow_name: str) -> WorkflowCheckpoint | None:
        """The newest checkpoint of `workflow_name`, if any."""
        rows = await self._rows(workflow_name)
        return self._decode(rows[-1]) if rows else None

    async def delete(self, checkpoint_id: str) -> bool:
        """Remove one checkpoint; False when it did not exist."""
        t = workflow_checkpoints.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(workflow_checkpoints).where(t.id == checkpoint_id, t.conversation_id == self._conversation_id)
            )
        return result.rowcount > 0

    async def _rows(self, workflow_name: str) -> list[str]:
        t = workflow_checkpoints.c
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(t.data)
                .where(t.conversation_id == self._conversation_id, t.workflow_name == workflow_name)
                .order_by(t.seq)
            )
            return list(result.scalars())

    @staticmethod
    def _decode(data: str) -> WorkflowCheckpoint:
        checkpoint = WorkflowCheckpoint.from_dict(
            decode_checkpoint_value(json.loads(data), allowed_types=ALLOWED_TYPES)
        )
        checkpoint.iteration_count = 0
        return checkpoint


def bound_histories(state: dict[str, Any], max_messages: int) -> None:
    """Keep the newest `max_messages` of every executor's message lists (new lists; live state untouched)."""
    for executor in (state.get("_executor_state") or {}).values():
        if not isinstance(executor, dict):
            continue
        if isinstance(executor.get("cache"), list):
            executor["cache"] = executor["cache"][-max_messages:]
        if isinstance(executor.get("full_conversation"), list):
            # Only read by termination conditions (unused here) and, while empty, to mark a fresh start.
            executor["full_conversation"] = executor["full_conversation"][-TRANSCRIPT_KEEP:]
        history = ((executor.get("agent_session") or {}).get("state") or {}).get(HISTORY_SOURCE)
        if isinstance(history, dict) and isinstance(history.get("messages"), list):
            history["messages"] = _from_a_user_turn(history["messages"][-max_messages:])


def _from_a_user_turn(messages: list[Any]) -> list[Any]:
    """Drop leading messages until a user message, so no tool result loses its call."""
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else getattr(message, "role", None)
        if role == "user":
            return messages[index:]
    return messages[-1:] if messages else messages
