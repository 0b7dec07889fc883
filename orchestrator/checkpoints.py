"""Workflow checkpoints of one conversation, kept in the database.

MAF checkpoints after every superstep, but a turn only ever resumes from the checkpoint taken when
the workflow paused for the shopper. So checkpoints are kept in memory while a turn runs and only the
one the next turn resumes is written, in the same transaction that records the turn
(`persist`); a failed turn writes nothing and leaves the last good checkpoint in place.

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
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from orchestrator.tables import workflow_checkpoints

ALLOWED_TYPES = frozenset({"types:GenericAlias"})
HISTORY_SOURCE = "in_memory"
TRANSCRIPT_KEEP = 2


class ConversationCheckpoints:
    """`CheckpointStorage` for the workflow of one conversation during one turn."""

    def __init__(self, engine: AsyncEngine, conversation_id: str, *, max_messages: int = 40) -> None:
        self._engine = engine
        self._conversation_id = conversation_id
        self._max_messages = max_messages
        self._unsaved: dict[str, WorkflowCheckpoint] = {}

    async def save(self, checkpoint: WorkflowCheckpoint) -> str:
        """Keep the checkpoint for this turn; `persist` writes the one that matters."""
        self._unsaved[checkpoint.checkpoint_id] = checkpoint
        return checkpoint.checkpoint_id

    async def persist(self, conn: AsyncConnection, checkpoint_id: str) -> None:
        """Write `checkpoint_id` as the conversation's only checkpoint, within the caller's transaction."""
        checkpoint = self._unsaved.get(checkpoint_id)
        if checkpoint is None:
            raise WorkflowCheckpointException(f"checkpoint {checkpoint_id} was not taken in this turn")
        value = checkpoint.to_dict()
        bound_histories(value.get("state") or {}, self._max_messages)
        t = workflow_checkpoints.c
        await conn.execute(delete(workflow_checkpoints).where(t.conversation_id == self._conversation_id))
        await conn.execute(
            workflow_checkpoints.insert().values(
                id=checkpoint_id,
                conversation_id=self._conversation_id,
                workflow_name=checkpoint.workflow_name,
                created_at=datetime.now(UTC),
                data=json.dumps(encode_checkpoint_value(value)),
            )
        )
        self._unsaved.clear()

    async def load(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint, with its superstep counter reset for the coming turn."""
        if checkpoint_id in self._unsaved:
            return self._unsaved[checkpoint_id]
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
        """This conversation's checkpoints of `workflow_name`, oldest first (stored, then this turn's)."""
        t = workflow_checkpoints.c
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(t.data)
                .where(t.conversation_id == self._conversation_id, t.workflow_name == workflow_name)
                .order_by(t.seq)
            )
            stored = [self._decode(data) for data in result.scalars()]
        return stored + [cp for cp in self._unsaved.values() if cp.workflow_name == workflow_name]

    async def list_checkpoint_ids(self, *, workflow_name: str) -> list[str]:
        """Ids of this conversation's checkpoints of `workflow_name`, oldest first."""
        return [cp.checkpoint_id for cp in await self.list_checkpoints(workflow_name=workflow_name)]

    async def get_latest(self, *, workflow_name: str) -> WorkflowCheckpoint | None:
        """The newest checkpoint of `workflow_name`, if any."""
        checkpoints = await self.list_checkpoints(workflow_name=workflow_name)
        return checkpoints[-1] if checkpoints else None

    async def delete(self, checkpoint_id: str) -> bool:
        """Remove one checkpoint; False when it did not exist."""
        if self._unsaved.pop(checkpoint_id, None) is not None:
            return True
        t = workflow_checkpoints.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(workflow_checkpoints).where(t.id == checkpoint_id, t.conversation_id == self._conversation_id)
            )
        return result.rowcount > 0

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
