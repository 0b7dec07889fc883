"""The orchestrator's run context: what one shopper turn carries through the mesh without being checkpointed.

The workflow runs its executors in tasks that inherit the caller's context, so the run bound around
`workflow.run` reaches every agent, proxy and middleware of the turn (see `agents.run_context`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agents.run_context import RunContext, current_run


@dataclass(kw_only=True)
class MeshRunContext(RunContext):
    """The shopper, usage, handoff budget and findings of one turn through the mesh.

    `handoff_reasons` holds, by agent, why it hands the conversation on (read once, by the turn's trace).
    """

    max_handoffs: int
    handoffs: int = 0
    refused_handoffs: list[str] = field(default_factory=list)
    failed_specialists: list[str] = field(default_factory=list)
    handoff_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def budget_exhausted(self) -> bool:
        """True once a handoff was refused because the turn used its budget."""
        return bool(self.refused_handoffs)

    def take_handoff(self, tool_name: str) -> bool:
        """Spend one handoff of the budget on `tool_name`; False (and recorded) when none is left."""
        if self.handoffs >= self.max_handoffs:
            self.refused_handoffs.append(tool_name)
            return False
        self.handoffs += 1
        return True


def current_mesh_run() -> MeshRunContext | None:
    """The running shopper turn's context, if any."""
    return current_run(MeshRunContext)
