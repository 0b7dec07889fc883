"""A policy that routes like a model that knows each ask's owner, and lets another policy do the rest.

`routed(routes, then)` knows, for each shopper message it is given, the agent that should answer it. While
the turn has only been handed on since the shopper's message (no text, no other tool called), an agent
that does not own the ask passes it on, with the tools it is offered, as an LLM following its instructions would:
a `handoff_to_<owner>` tool when offered, else the hand-back (`handoff_to_orchestrator`), else a router
tool that names a specialist (`call_specialist_agent`). Every other call, and every message it has no
route for, is answered by `then` (by default the offline model's decisions), so the owner chooses its own
tools and writes its own answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agents.handoff_extension import handoff_tool_name, handoff_tool_target
from tests.support.chat_double.policies import Policy, answer, message_text
from tests.support.chat_double.replies import Answer, call

ORCHESTRATOR = "orchestrator"
ROUTER_TOOL = "call_specialist_agent"  # the router-tool design's one tool: (agent_name, message)


def latest_ask(messages: Sequence[Mapping[str, Any]]) -> tuple[str | None, bool]:
    """The newest user message's text, and whether an answer to it has begun since (text, or a tool call
    other than a handoff)."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].get("role") == "user":
            return message_text(messages[index]).strip(), any(_works(m) for m in messages[index + 1 :])
    return None, False


def _works(message: Mapping[str, Any]) -> bool:
    if message.get("role") != "assistant":
        return False
    names = [c["function"]["name"] for c in message.get("tool_calls") or ()]
    return bool(message_text(message).strip()) or any(handoff_tool_target(n) is None for n in names)


def route_call(agent: str, owner: str, offered: set[str], ask: str) -> Answer | None:
    """The call that moves `ask` one step towards `owner`, or None when `agent` should answer it itself."""
    if agent == owner:
        return None
    for target in (owner, ORCHESTRATOR):
        if target != agent and (name := handoff_tool_name(target)) in offered:
            return call(name)
    if ROUTER_TOOL in offered:
        return call(ROUTER_TOOL, {"agent_name": owner, "message": ask})
    return None


def routed(routes: Mapping[str, str], then: Policy | None = None) -> Policy:
    """Route each ask in `routes` (shopper text -> owning agent) to its owner; `then` answers everything else."""
    if then is None:
        from tests.support.chat_double.brain import OfflineBrain

        then = OfflineBrain()
    rest = then

    async def policy(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Answer:
        ask, acted = latest_ask(messages)
        owner = routes.get(ask) if ask is not None else None
        if owner is not None and not acted:
            offered = {t["function"]["name"] for t in tools}
            if (step := route_call(agent, owner, offered, ask or "")) is not None:
                return step
        return await answer(rest, agent, tools, messages)

    return policy
