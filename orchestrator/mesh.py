"""The handoff mesh: the orchestrator as start agent, the specialists' proxies, edges both ways."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from agent_framework import Agent, SupportsChatGetResponse, Workflow, WorkflowCheckpoint
from agent_framework.orchestrations import HandoffBuilder

from agents.definitions import ORCHESTRATOR
from agents.maf_internals import (
    EXECUTOR_SESSION_KEY,
    EXECUTOR_STATE_KEY,
    capture_checkpoint,
    restore_checkpoint,
    share_lifecycle_event_payloads,
)
from agents.run_context import UsageMeter
from orchestrator.bounds import HandoffBudget, RouteNoMore
from orchestrator.first_pass import FirstPassRouter

MESH_NAME = "storefront-support"
WARM_PAUSE_S = 0.02  # between two workflows `MeshFactory.warm` builds, so turns arriving meanwhile go first


def build_orchestrator_agent(client: SupportsChatGetResponse, *, router: FirstPassRouter | None = None) -> Agent:
    """The start agent: greets, answers what no specialist owns, routes the rest (a clear first ask by `router`)."""
    first_pass = [router] if router is not None else []
    return Agent(
        client=client,
        name=ORCHESTRATOR.name,
        description=ORCHESTRATOR.description,
        instructions=ORCHESTRATOR.instructions,
        middleware=[HandoffBudget(), *first_pass, RouteNoMore(), UsageMeter()],
        require_per_service_call_history_persistence=True,
    )


class MeshFactory:
    """Lends out workflows of the mesh, one turn at a time, in the state of the conversation they serve.

    A workflow runs one run at a time and holds one conversation's state. Building one (cloning the
    agents, making the handoff tools, validating the graph) costs more than restoring one, so idle
    workflows are kept and put into a turn's conversation state by restoring its checkpoint (or the
    state of a new conversation): the process stays stateless between turns. The workflows run
    without a checkpoint storage, so MAF takes no checkpoint per superstep; the turn captures the one
    checkpoint it keeps when the workflow pauses (`pause_checkpoint`), and MAF does not deep-copy the
    payloads of its executor lifecycle events, which no turn reads (`share_lifecycle_event_payloads`).
    """

    def __init__(self, orchestrator: Agent, specialists: Sequence[Agent], *, max_idle: int) -> None:
        if not specialists:
            raise ValueError("the mesh needs at least one specialist")
        share_lifecycle_event_payloads()
        self.orchestrator = orchestrator
        self.specialists = list(specialists)
        self.max_idle = max_idle
        self._idle: list[Workflow] = []
        self._new_conversation: WorkflowCheckpoint | None = None

    @property
    def participant_names(self) -> list[str]:
        """Executor ids of the mesh, the orchestrator first."""
        return [self.orchestrator.name or "", *(s.name or "" for s in self.specialists)]

    def build(self) -> Workflow:
        """A new workflow instance: orchestrator -> each specialist, each specialist -> orchestrator."""
        builder = HandoffBuilder(name=MESH_NAME, participants=[self.orchestrator, *self.specialists])
        builder.with_start_agent(self.orchestrator)
        builder.add_handoff(self.orchestrator, self.specialists)
        for specialist in self.specialists:
            builder.add_handoff(specialist, [self.orchestrator])
        return builder.build()

    async def acquire(self, checkpoint: WorkflowCheckpoint | None) -> Workflow:
        """A workflow in `checkpoint`'s state, or in a new conversation's when None; `release` it after."""
        workflow = self._idle.pop() if self._idle else self.build()
        await restore_checkpoint(workflow, checkpoint or await self._new_conversation_state())
        return workflow

    async def warm(self, pause_s: float = WARM_PAUSE_S) -> None:
        """Fill the idle pool with new workflows, one at a time with a pause between, so turns go first.

        A burst of conversations larger than the idle pool builds a workflow per turn beyond it
        (about 8 ms of CPU with its first run); built at start-up, the pool serves up to `max_idle`
        turns at once without building (a workflow costs about 0.2 MiB idle).
        """
        while len(self._idle) < self.max_idle:
            self._idle.append(self.build())
            await asyncio.sleep(pause_s)

    def release(self, workflow: Workflow) -> None:
        """Take back a workflow whose run ended paused; one that failed mid-run is dropped instead."""
        if len(self._idle) < self.max_idle:
            self._idle.append(workflow)

    async def _new_conversation_state(self) -> WorkflowCheckpoint:
        """The state of a workflow that never ran, without agent sessions (each restore makes fresh ones)."""
        if self._new_conversation is None:
            checkpoint = await capture_checkpoint(self.build())
            for executor in checkpoint.state.get(EXECUTOR_STATE_KEY, {}).values():
                executor.pop(EXECUTOR_SESSION_KEY, None)
            self._new_conversation = checkpoint
        return self._new_conversation


async def pause_checkpoint(workflow: Workflow) -> WorkflowCheckpoint:
    """The checkpoint of a workflow paused for the shopper: what the conversation's next turn restores."""
    return await capture_checkpoint(workflow)
