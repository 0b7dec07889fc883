"""What one shopper turn carries through the mesh without being checkpointed.

The workflow runs its executors in tasks that inherit the caller's context, so a context variable set
around `workflow.run` reaches every agent, proxy and middleware of the turn. Nothing here is written
into a checkpoint: the shopper's identity in particular never is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from agents.usage import TurnUsage


@dataclass
class ShopperTurn:
    """The shopper's identity and the per-turn bounds and findings of one turn.

    `handoff_reasons` holds, by agent, why it hands the conversation on (read once, by the turn's trace).
    """

    customer_id: str | None
    max_handoffs: int
    handoffs: int = 0
    refused_handoffs: list[str] = field(default_factory=list)
    failed_specialists: list[str] = field(default_factory=list)
    handoff_reasons: dict[str, str] = field(default_factory=dict)
    usage: TurnUsage = field(default_factory=TurnUsage)

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


_TURN: ContextVar[ShopperTurn | None] = ContextVar("shopper_turn", default=None)


@contextmanager
def shopper_turn(turn: ShopperTurn) -> Iterator[ShopperTurn]:
    """Bind `turn` for the code (and the tasks it starts) inside the block."""
    token = _TURN.set(turn)
    try:
        yield turn
    finally:
        _TURN.reset(token)


def current_turn() -> ShopperTurn | None:
    """The running shopper turn, if any."""
    return _TURN.get()
