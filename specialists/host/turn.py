"""Per-request state shared by the executor and the middlewares that watch the model's tool calls."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from agent_framework import (
    FunctionInvocationContext,
    FunctionMiddleware,
    FunctionTool,
    MiddlewareTermination,
    tool,
)

from agents.handoff_extension import Handoff, HandoffTarget, handoff_tool_name


@dataclass
class TurnState:
    """What one A2A request offers the model and what the model decided."""

    handoff_targets: dict[str, HandoffTarget] = field(default_factory=dict)
    handoff: Handoff | None = None
    proposed_action: dict[str, Any] | None = None


_TURN: ContextVar[TurnState | None] = ContextVar("specialist_turn", default=None)


def bind_turn(state: TurnState) -> object:
    """Make `state` the running request's turn state; returns the reset token."""
    return _TURN.set(state)


def unbind_turn(token: object) -> None:
    """Undo `bind_turn`."""
    _TURN.reset(token)  # type: ignore[arg-type]


def _handed_off() -> str:
    """Placeholder body: `TurnWatcher` answers every call of a handoff tool."""
    return "handed off"


@lru_cache(maxsize=64)
def _handoff_tool(name: str, description: str) -> FunctionTool:
    """The tool object is the same for every request offering this target (building one takes a while)."""
    return tool(_handed_off, name=name, description=description)


def handoff_tools(state: TurnState, targets: list[HandoffTarget]) -> list[FunctionTool]:
    """One parameterless `handoff_to_<target>` tool per allowed target, registered in `state`."""
    tools = []
    for target in targets:
        name = handoff_tool_name(target.name)
        state.handoff_targets[name] = target
        tools.append(_handoff_tool(name, target.description or f"Hand off to {target.name}."))
    return tools


def _as_mapping(result: Any) -> dict[str, Any] | None:
    """A tool's result as a dict: tools return dicts, which MAF hands on as text contents of JSON."""
    if isinstance(result, dict):
        return result
    if isinstance(result, list):
        result = "".join(getattr(c, "text", None) or "" for c in result)
    if isinstance(result, str):
        try:
            parsed = json.loads(result)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


class TurnWatcher(FunctionMiddleware):
    """Catches handoff calls (ending the model's turn) and actions that wait for the shopper's yes."""

    async def process(self, context: FunctionInvocationContext, call_next: Callable[[], Awaitable[None]]) -> None:
        state = _TURN.get()
        target = state.handoff_targets.get(context.function.name) if state else None
        if state is not None and target is not None:
            state.handoff = Handoff(target=target.name, reason="the ask is outside this specialist's domain")
            context.result = FunctionTool.parse_result({"handoff_to": target.name})
            raise MiddlewareTermination(result=context.result)
        await call_next()
        outcome = _as_mapping(context.result)
        if state is not None and outcome and outcome.get("confirmation_required") and outcome.get("action"):
            state.proposed_action = dict(outcome["action"])
