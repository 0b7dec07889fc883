"""The one home of the Microsoft Agent Framework internals this project relies on.

MAF's public API does not cover everything a durable handoff mesh needs: the checkpoint encoding, the
name of a synthesised handoff tool and the layout of an agent executor's checkpointed state are
private. Every such name is imported or spelled here and nowhere else, and
`tests/unit/test_maf_internals.py` pins what each one does on the installed version, so an upgrade
that changes one fails a test instead of silently doing nothing.
"""

from __future__ import annotations

from agent_framework import InMemoryHistoryProvider, Workflow, WorkflowCheckpoint
from agent_framework._workflows._checkpoint_encoding import decode_checkpoint_value, encode_checkpoint_value
from agent_framework_orchestrations._handoff import HANDOFF_FUNCTION_RESULT_KEY, get_handoff_tool_name

__all__ = [
    "CHECKPOINT_ALLOWED_TYPES",
    "EXECUTOR_CACHE_KEY",
    "EXECUTOR_SESSION_KEY",
    "EXECUTOR_STATE_KEY",
    "EXECUTOR_TRANSCRIPT_KEY",
    "HANDOFF_FUNCTION_RESULT_KEY",
    "HANDOFF_TOOL_PREFIX",
    "HISTORY_SOURCE_ID",
    "capture_checkpoint",
    "decode_checkpoint_value",
    "encode_checkpoint_value",
    "get_handoff_tool_name",
    "restore_checkpoint",
]

# Types a paused handoff workflow's checkpoint holds beyond MAF's default allow-list.
CHECKPOINT_ALLOWED_TYPES = frozenset({"types:GenericAlias"})

# Where a workflow checkpoint keeps each executor's state, and what an agent executor keeps there.
EXECUTOR_STATE_KEY = "_executor_state"
EXECUTOR_CACHE_KEY = "cache"  # messages the agent has not run on yet: its next input
EXECUTOR_TRANSCRIPT_KEY = "full_conversation"  # text-only transcript, read by termination conditions
EXECUTOR_SESSION_KEY = "agent_session"  # AgentSession.to_dict(); its history sits under HISTORY_SOURCE_ID

# The session-state key of the history MAF adds to every handoff participant.
HISTORY_SOURCE_ID = InMemoryHistoryProvider.DEFAULT_SOURCE_ID

# Every synthesised handoff tool is named this prefix plus the target's executor id.
HANDOFF_TOOL_PREFIX = get_handoff_tool_name("")


async def capture_checkpoint(workflow: Workflow) -> WorkflowCheckpoint:
    """A restorable checkpoint of `workflow` as it stands between runs, taken without a checkpoint storage.

    What MAF itself does for a sub-workflow; a workflow built without checkpointing then skips the
    checkpoint (a deep copy of every agent's state) MAF takes after each superstep.
    """
    return await workflow._runner.build_checkpoint()


async def restore_checkpoint(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> None:
    """Put `workflow` (possibly used before) into the state `checkpoint` holds: shared state, every
    executor's state, in-flight messages and pending requests; nothing of an earlier run survives."""
    runner = workflow._runner
    await runner.restore_checkpoint(checkpoint)
    # The executors now hold their state; the copy left in the shared state is stale until the next
    # capture rewrites it, and that capture deep-copies whatever is there twice per executor.
    if runner._state.has(EXECUTOR_STATE_KEY):
        runner._state.delete(EXECUTOR_STATE_KEY)
