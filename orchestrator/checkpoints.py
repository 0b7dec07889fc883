"""Workflow checkpoints of one conversation, kept in the database.

MAF checkpoints after every superstep, but a turn only ever resumes from the checkpoint taken when
the workflow paused for the shopper. So checkpoints are kept in memory while a turn runs and only the
one the next turn resumes is written, in the same transaction that records the turn
(`persist`); a failed turn writes nothing and leaves the last good checkpoint in place.

Values are encoded by `orchestrator.checkpoint_codec` (JSON, each message once as a dict, MAF's own
encoding with its allow-list for anything else); rows written in MAF's encoding are still read. On
load the superstep counter is reset: MAF counts its 100-superstep limit over a workflow's whole life,
so without the reset an ordinary conversation would fail around its fiftieth turn; with it, each
shopper turn gets the full limit as a backstop behind the per-turn handoff budget.

Every agent of a handoff mesh keeps its own copy of the conversation: its session history and its
pending messages (its next input), which the next model call sees as one transcript. Left alone they
grow with every turn, and so does each checkpoint and each prompt; `bound_histories` keeps the newest
part of that transcript within a message count and a token budget, cutting only where no tool call is
separated from its result (`agents.transcript`). What is written must be a transcript a Chat
Completions API accepts: a break found on the way to the database is a bug, logged as an error and
repaired before it is written; a stored checkpoint that breaks it (written before this check, or
broken any other way) is repaired when it is loaded, so the conversation heals instead of failing
every later turn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from agent_framework import Message, WorkflowCheckpoint
from agent_framework.exceptions import WorkflowCheckpointException
from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.maf_internals import (
    EXECUTOR_CACHE_KEY,
    EXECUTOR_SESSION_KEY,
    EXECUTOR_STATE_KEY,
    EXECUTOR_TRANSCRIPT_KEY,
    HISTORY_SOURCE_ID,
)
from agents.transcript import Violation, repair_indexed, violations, window_start
from orchestrator.checkpoint_codec import decode_checkpoint, encode_checkpoint
from orchestrator.tables import workflow_checkpoints

logger = logging.getLogger(__name__)

TRANSCRIPT_KEEP = 2
UNBOUNDED = 1 << 30
# Built once (building a statement costs more than running it); `persist` binds the conversation.
_DELETE_ALL = delete(workflow_checkpoints).where(workflow_checkpoints.c.conversation_id == bindparam("b_conversation"))


@dataclass(frozen=True)
class Window:
    """How much of the conversation each mesh agent keeps: a message count and a token budget.

    The service builds it from `MESH_HISTORY_MESSAGES` and `AGENT_WINDOW_TOKENS`.
    """

    max_messages: int
    max_tokens: int


KEEP_ALL = Window(max_messages=UNBOUNDED, max_tokens=UNBOUNDED)


class ConversationCheckpoints:
    """`CheckpointStorage` for the workflow of one conversation during one turn."""

    def __init__(self, engine: AsyncEngine, conversation_id: str, *, window: Window = KEEP_ALL) -> None:
        """`window` bounds what `encode` writes; reading needs none."""
        self._engine = engine
        self._conversation_id = conversation_id
        self._window = window
        self._unsaved: dict[str, WorkflowCheckpoint] = {}

    async def save(self, checkpoint: WorkflowCheckpoint) -> str:
        """Keep the checkpoint for this turn; `persist` writes the one that matters."""
        self._unsaved[checkpoint.checkpoint_id] = checkpoint
        return checkpoint.checkpoint_id

    def encode(self, checkpoint_id: str) -> dict[str, Any]:
        """The row of `checkpoint_id`, windowed and encoded, for `persist` (done before the transaction opens,
        so the connection is not held while the checkpoint is serialised)."""
        checkpoint = self._unsaved.get(checkpoint_id)
        if checkpoint is None:
            raise WorkflowCheckpointException(f"checkpoint {checkpoint_id} was not taken in this turn")
        value = checkpoint.to_dict()
        for agent, problems in bound_histories(value.get("state") or {}, self._window).items():
            logger.error(
                "conversation %s: %s kept a transcript a model API would reject; repaired before writing: %s",
                self._conversation_id,
                agent,
                "; ".join(map(str, problems)),
            )
        return {
            "id": checkpoint_id,
            "conversation_id": self._conversation_id,
            "workflow_name": checkpoint.workflow_name,
            "created_at": datetime.now(UTC),
            "data": encode_checkpoint(value),
        }

    def persist(self, conn: Connection, row: dict[str, Any]) -> None:
        """Write an `encode`d checkpoint as the conversation's only checkpoint, within the caller's transaction."""
        conn.execute(_DELETE_ALL, {"b_conversation": self._conversation_id})
        conn.execute(workflow_checkpoints.insert(), row)
        self._unsaved.clear()

    async def load(self, checkpoint_id: str, *, stored: str | None = None) -> WorkflowCheckpoint:
        """The checkpoint, with its superstep counter reset for the coming turn; `stored` is its row's data
        when the caller read it already (with the turn's lease), else it is read here."""
        if checkpoint_id in self._unsaved:
            return self._unsaved[checkpoint_id]
        data = stored if stored is not None else await self._read(checkpoint_id)
        if data is None:
            raise WorkflowCheckpointException(f"no checkpoint {checkpoint_id} in conversation {self._conversation_id}")
        checkpoint = self._decode(data)
        for agent, problems in heal(checkpoint.state).items():
            logger.warning(
                "conversation %s: repaired %s's stored transcript: %s",
                self._conversation_id,
                agent,
                "; ".join(map(str, problems)),
            )
        return checkpoint

    async def _read(self, checkpoint_id: str) -> str | None:
        t = workflow_checkpoints.c
        async with self._engine.connect() as conn:
            found = select(t.data).where(t.id == checkpoint_id, t.conversation_id == self._conversation_id)
            return (await conn.execute(found)).scalar_one_or_none()

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
        checkpoint = WorkflowCheckpoint.from_dict(decode_checkpoint(data))
        checkpoint.iteration_count = 0
        return checkpoint


def bound_histories(state: dict[str, Any], window: Window) -> dict[str, list[Violation]]:
    """Keep each agent's transcript within `window`, pairs whole; returns (and repairs) what broke the invariant.

    New lists are assigned; the live workflow state is left untouched.
    """
    found = {}
    for agent, executor, parts in _agent_transcripts(state):
        combined = parts.history + parts.cache
        start = window_start(combined, max_messages=window.max_messages, max_tokens=window.max_tokens)
        if problems := violations(combined[start:]):
            found[agent] = problems
        parts.write(executor, start)
        if isinstance(executor.get(EXECUTOR_TRANSCRIPT_KEY), list):
            # Only read by termination conditions (unused here) and, while empty, to mark a fresh start.
            executor[EXECUTOR_TRANSCRIPT_KEY] = executor[EXECUTOR_TRANSCRIPT_KEY][-TRANSCRIPT_KEEP:]
    return found


def heal(state: dict[str, Any]) -> dict[str, list[Violation]]:
    """Repair every agent's transcript in a loaded checkpoint `state`; returns what was wrong."""
    found = {}
    for agent, executor, parts in _agent_transcripts(state):
        if problems := violations(parts.history + parts.cache):
            found[agent] = problems
            parts.write(executor, 0)
    return found


@dataclass
class _Transcript:
    """One agent executor's transcript as MAF keeps it: session history (dicts) then pending cache."""

    history_holder: dict[str, Any] | None
    raw_history: list[Any]
    history: list[Message]
    cache: list[Message]

    def write(self, executor: dict[str, Any], start: int) -> None:
        """Store the repaired transcript from `start` on back into its two parts (new lists)."""
        split = len(self.history)
        combined = self.history + self.cache
        history, cache = [], []
        for index, message in repair_indexed(combined[start:]):
            at = start + index
            if at < split:
                history.append(self.raw_history[at] if message is combined[at] else message.to_dict())
            else:
                cache.append(message)
        if self.history_holder is not None:
            self.history_holder["messages"] = history
        if isinstance(executor.get(EXECUTOR_CACHE_KEY), list):
            executor[EXECUTOR_CACHE_KEY] = cache


def _agent_transcripts(state: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], _Transcript]]:
    for agent, executor in (state.get(EXECUTOR_STATE_KEY) or {}).items():
        if not isinstance(executor, dict):
            continue
        session_state = (executor.get(EXECUTOR_SESSION_KEY) or {}).get("state") or {}
        holder = session_state.get(HISTORY_SOURCE_ID)
        raw = holder.get("messages") if isinstance(holder, dict) else None
        raw_history = raw if isinstance(raw, list) else []
        cache = executor.get(EXECUTOR_CACHE_KEY)
        yield (
            agent,
            executor,
            _Transcript(
                holder if isinstance(raw, list) else None,
                raw_history,
                [_as_message(m) for m in raw_history],
                [_as_message(m) for m in cache] if isinstance(cache, list) else [],
            ),
        )


def _as_message(item: Any) -> Message:
    return item if isinstance(item, Message) else Message.from_dict(item)
