"""A specialist's run context: what one A2A request carries through the agent, its tools and middleware.

The executor binds one around the agent's run (see `agents.run_context`): the verified shopper, the
model usage, the handoff tools offered and what the model decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agents.handoff_extension import Handoff, HandoffTarget
from agents.run_context import RunContext, current_run


@dataclass(kw_only=True)
class SpecialistRunContext(RunContext):
    """One A2A request: the handoff tools it offers by tool name, the handoff the model chose, and an
    action a tool proposed that waits for the shopper's yes."""

    handoff_targets: dict[str, HandoffTarget] = field(default_factory=dict)
    handoff: Handoff | None = None
    proposed_action: dict[str, Any] | None = None


def current_specialist_run() -> SpecialistRunContext | None:
    """The A2A request being answered, if any."""
    return current_run(SpecialistRunContext)
