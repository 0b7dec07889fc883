"""The one home of the Microsoft Agent Framework internals this project relies on.

MAF's public API does not cover everything a durable handoff mesh needs: the checkpoint encoding, the
name of a synthesised handoff tool, the layout of an agent executor's checkpointed state and the
copies it makes for its lifecycle events are private. Every such name is imported or spelled here and nowhere else, and
`tests/unit/test_maf_internals.py` pins what each one does on the installed version, so an upgrade
that changes one fails a test instead of silently doing nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from agent_framework import InMemoryHistoryProvider, Workflow, WorkflowCheckpoint
from agent_framework._workflows import _executor as _maf_executor
from agent_framework._workflows import _workflow_context as _maf_workflow_context
from agent_framework._workflows._checkpoint_encoding import decode_checkpoint_value, encode_checkpoint_value
from agent_framework.exceptions import WorkflowCheckpointException
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
    "share_lifecycle_event_payloads",
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

    What MAF's own `build_checkpoint` holds, without its copying: MAF writes each executor's state
    into the shared state one by one, and every write and read deep-copies the whole executor-state
    map (quadratic in the number of agents, and a `Message` copies slowly), then exports another
    deep copy. Here each executor's state is taken once, its lists and maps copied (the messages in
    them are shared, and MAF does not change a message once it is kept). The checkpoint stays valid
    while the workflow does not run again: encode it before the next run.
    """
    runner = workflow._runner
    executor_states = {
        executor_id: _detached(await executor.on_checkpoint_save())
        for executor_id, executor in workflow.executors.items()
    }
    state = runner.state
    if state.has(EXECUTOR_STATE_KEY):
        state.delete(EXECUTOR_STATE_KEY)
    runner._save_edge_runner_states()
    state.commit()
    checkpoint = await runner.context.build_checkpoint(
        workflow.name, workflow.graph_signature_hash, state, None, runner._iteration
    )
    checkpoint.state[EXECUTOR_STATE_KEY] = executor_states
    return checkpoint


async def restore_checkpoint(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> None:
    """Put `workflow` (possibly used before) into the state `checkpoint` holds: shared state, every
    executor's state, in-flight messages and pending requests; nothing of an earlier run survives.

    MAF restores the rest; the executors' states are handed over here, their lists and maps copied
    but not their messages (MAF deep-copies the whole map twice on the way).
    """
    executor_states = checkpoint.state.get(EXECUTOR_STATE_KEY) or {}
    unknown = set(executor_states) - set(workflow.executors)
    if unknown:
        raise WorkflowCheckpointException(f"checkpoint has state for unknown executors: {sorted(unknown)}")
    rest = {key: value for key, value in checkpoint.state.items() if key != EXECUTOR_STATE_KEY}
    await workflow._runner.restore_checkpoint(replace(checkpoint, state=rest))
    for executor_id, executor_state in executor_states.items():
        await workflow.executors[executor_id].on_checkpoint_restore(_detached(executor_state))


def _detached(executor_state: dict[str, Any]) -> dict[str, Any]:
    """`executor_state` with its top-level lists and maps copied, so neither side's appends reach the other."""
    return {
        key: list(value) if type(value) is list else dict(value) if type(value) is dict else value
        for key, value in executor_state.items()
    }


class _SharedSnapshots:
    """Stands in for the `copy` module in MAF's executor and workflow-context modules: the "snapshot"
    it hands back is the value itself."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value


def share_lifecycle_event_payloads() -> None:
    """Stop MAF deep-copying what it attaches to its executor lifecycle events (process-wide, idempotent).

    Before every delivery MAF deep-copies the delivered message for its `executor_invoked` event, and
    it deep-copies every output an executor yields (each streamed update) for its `executor_completed`
    event; a `Message` copies slowly, and the mesh broadcasts each reply to every participant. Those
    two copies are the only uses of `copy` in the two modules (pinned), and the events they feed are
    never read here, so they get the live objects instead; the `output` events always did.
    """
    _maf_executor.copy = _SharedSnapshots  # type: ignore[attr-defined,assignment]
    _maf_workflow_context.copy = _SharedSnapshots  # type: ignore[attr-defined,assignment]
