"""The handoff mesh: the orchestrator as start agent, the specialists' proxies, edges both ways."""

from __future__ import annotations

from collections.abc import Sequence

from agent_framework import Agent, CheckpointStorage, SupportsChatGetResponse, Workflow
from agent_framework.orchestrations import HandoffBuilder

from agents.definitions import ORCHESTRATOR
from agents.usage import UsageMeter
from orchestrator.bounds import HandoffBudget, RouteNoMore

MESH_NAME = "storefront-support"


def build_orchestrator_agent(client: SupportsChatGetResponse) -> Agent:
    """The start agent: greets, answers what no specialist owns, routes the rest."""
    return Agent(
        client=client,
        name=ORCHESTRATOR.name,
        description=ORCHESTRATOR.description,
        instructions=ORCHESTRATOR.instructions,
        middleware=[HandoffBudget(), RouteNoMore(), UsageMeter()],
        require_per_service_call_history_persistence=True,
    )


class MeshFactory:
    """Builds one workflow per conversation turn from the same agents and topology.

    A workflow holds a conversation's state and runs one run at a time; building a fresh one for each
    turn and restoring it from the conversation's checkpoint keeps the process stateless between turns.
    """

    def __init__(self, orchestrator: Agent, specialists: Sequence[Agent]) -> None:
        if not specialists:
            raise ValueError("the mesh needs at least one specialist")
        self.orchestrator = orchestrator
        self.specialists = list(specialists)

    @property
    def participant_names(self) -> list[str]:
        """Executor ids of the mesh, the orchestrator first."""
        return [self.orchestrator.name or "", *(s.name or "" for s in self.specialists)]

    def build(self, checkpoint_storage: CheckpointStorage | None = None) -> Workflow:
        """A new workflow instance: orchestrator -> each specialist, each specialist -> orchestrator."""
        builder = HandoffBuilder(name=MESH_NAME, participants=[self.orchestrator, *self.specialists])
        builder.with_start_agent(self.orchestrator)
        builder.add_handoff(self.orchestrator, self.specialists)
        for specialist in self.specialists:
            builder.add_handoff(specialist, [self.orchestrator])
        if checkpoint_storage is not None:
            builder.with_checkpointing(checkpoint_storage)
        return builder.build()
