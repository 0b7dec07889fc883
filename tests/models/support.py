"""Helpers for running the offline model inside real MAF agents."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from agent_framework import (
    Agent,
    AgentResponse,
    Content,
    FunctionInvocationContext,
    FunctionMiddleware,
    FunctionTool,
    Message,
    MiddlewareTermination,
)

from agents.handoff_extension import handoff_tool_target
from agents.models import OfflineChatClient


class StopAtHandoff(FunctionMiddleware):
    """Ends the run at a `handoff_to_*` call, as the handoff builder's middleware does in a real mesh."""

    async def process(self, context: FunctionInvocationContext, call_next: Callable[[], Awaitable[None]]) -> None:
        target = handoff_tool_target(context.function.name)
        if target is None:
            await call_next()
            return
        context.result = FunctionTool.parse_result({"handoff_to": target})
        raise MiddlewareTermination(result=context.result)


def make_agent(
    tools: Sequence[FunctionTool],
    *,
    name: str = "agent",
    client: OfflineChatClient | None = None,
    instructions: str | None = None,
) -> Agent:
    """An agent on the offline model, built the way the handoff mesh needs it."""
    return Agent(
        client=client or OfflineChatClient(),
        name=name,
        instructions=instructions or f"You are the {name} agent.",
        tools=list(tools),
        middleware=[StopAtHandoff()],
        require_per_service_call_history_persistence=True,
    )


def calls(response: AgentResponse) -> list[tuple[str, dict[str, Any]]]:
    """The function calls a response made, with their parsed arguments."""
    return [
        (c.name, c.parse_arguments() or {}) for m in response.messages for c in m.contents if c.type == "function_call"
    ]


def exchange(n: int, name: str, arguments: dict[str, Any], result: Any) -> list[Message]:
    """One earlier call and its result (a text as it is, anything else as JSON)."""
    call = Content.from_function_call(f"c{n}", name, arguments=arguments)
    text = result if isinstance(result, str) else json.dumps(result)
    return [Message("assistant", [call]), Message("tool", [Content.from_function_result(call_id=f"c{n}", result=text)])]
