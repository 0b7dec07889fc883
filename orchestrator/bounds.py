"""Per-turn bounds of the mesh: a budget of handoffs that never leaves a call without its result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from agent_framework import (
    ChatContext,
    ChatMiddleware,
    FunctionInvocationContext,
    FunctionMiddleware,
    FunctionTool,
    MiddlewareTermination,
)

from agents.handoff_extension import handoff_tool_target
from orchestrator.run_context import current_mesh_run

LIMIT_MESSAGE = (
    "I wasn't able to get this to the right specialist just now. "
    "Could you rephrase your question, or ask about one thing at a time?"
)


class HandoffBudget(FunctionMiddleware):
    """Refuses `handoff_to_*` calls once the turn has used its budget of handoffs.

    The refusal is the call's result, so every call keeps its result in the agent's history (a provider
    rejects a transcript with an unanswered call), and the model is called again to answer the shopper
    itself, with `RouteNoMore` allowing it only to answer. A model that ignores that and calls a handoff
    yet again (no provider's model does) ends its turn with the refusal; the checkpoint's transcript
    check then repairs what it left behind.
    """

    async def process(self, context: FunctionInvocationContext, call_next: Callable[[], Awaitable[None]]) -> None:
        run = current_mesh_run()
        if run is None or handoff_tool_target(context.function.name) is None:
            await call_next()
            return
        if run.take_handoff(context.function.name):
            await call_next()
            return
        context.result = FunctionTool.parse_result({"error": "handoff_limit", "message": LIMIT_MESSAGE})
        if len(run.refused_handoffs) > 1:
            raise MiddlewareTermination(result=context.result)


class RouteNoMore(ChatMiddleware):
    """Once a handoff was refused this turn, the model may only answer: `tool_choice="none"`."""

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        run = current_mesh_run()
        if run is not None and run.refused_handoffs:
            context.options = {**(context.options or {}), "tool_choice": "none"}
        await call_next()
