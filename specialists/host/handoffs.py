"""A specialist's handoff tools, and the middleware that ends the model's turn when it calls one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import lru_cache

from agent_framework import (
    FunctionInvocationContext,
    FunctionMiddleware,
    FunctionTool,
    MiddlewareTermination,
    tool,
)

from agents.handoff_extension import Handoff, HandoffTarget, handoff_tool_name
from specialists.run_context import SpecialistRunContext, current_specialist_run


def _handed_off() -> str:
    """Placeholder body: `HandoffWatcher` answers every call of a handoff tool."""
    return "handed off"


@lru_cache(maxsize=64)
def _handoff_tool(name: str, description: str) -> FunctionTool:
    """The tool object is the same for every request offering this target (building one takes a while)."""
    return tool(_handed_off, name=name, description=description)


def handoff_tools(run: SpecialistRunContext, targets: list[HandoffTarget]) -> list[FunctionTool]:
    """One parameterless `handoff_to_<target>` tool per allowed target, registered in `run`."""
    tools = []
    for target in targets:
        name = handoff_tool_name(target.name)
        run.handoff_targets[name] = target
        tools.append(_handoff_tool(name, target.description or f"Hand off to {target.name}."))
    return tools


class HandoffWatcher(FunctionMiddleware):
    """Catches a call of a handoff tool: records the handoff on the run and ends the model's turn."""

    async def process(self, context: FunctionInvocationContext, call_next: Callable[[], Awaitable[None]]) -> None:
        run = current_specialist_run()
        target = run.handoff_targets.get(context.function.name) if run else None
        if run is None or target is None:
            await call_next()
            return
        run.handoff = Handoff(target=target.name, reason="the ask is outside this specialist's domain")
        context.result = FunctionTool.parse_result({"handoff_to": target.name})
        raise MiddlewareTermination(result=context.result)
