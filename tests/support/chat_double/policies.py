"""Scripted model behaviour for the double: who is calling, what it is offered, what it answers.

A policy is a callable `policy(agent, tools, messages)` (sync or async) returning a `Reply` or a `Fault`:
`agent` is the calling agent's name, `tools` the wire declarations it may call now (none under
`tool_choice: "none"`, only the named one under a named choice), `messages` the request's messages.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from agents.definitions import AGENTS
from tests.support.chat_double.replies import Answer

Policy = Callable[[str, list[dict[str, Any]], list[dict[str, Any]]], Answer | Awaitable[Answer]]
UNKNOWN_AGENT = "unknown"
AGENT_HEADER = "x-agent-name"


def message_text(message: Mapping[str, Any]) -> str:
    """The text of a wire message (its string content, or its text parts joined)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(p.get("text") or "" for p in content or () if isinstance(p, dict) and p.get("type") == "text")


def agent_of(messages: Sequence[Mapping[str, Any]], header: str | None = None) -> str:
    """The calling agent: the `x-agent-name` header, else the agent whose instructions open the system prompt."""
    if header:
        return header
    system = "\n".join(message_text(m) for m in messages if m.get("role") in ("system", "developer"))
    for definition in AGENTS.values():
        if definition.instructions and definition.instructions in system:
            return definition.name
    return UNKNOWN_AGENT


def offered(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tool declarations the model may call under the request's `tool_choice`."""
    tools = list(body.get("tools") or ())
    choice = body.get("tool_choice")
    if choice == "none":
        return []
    if isinstance(choice, dict):
        if choice.get("type") == "allowed_tools":
            names = {t["function"]["name"] for t in choice["allowed_tools"]["tools"]}
        else:
            names = {choice["function"]["name"]}
        return [t for t in tools if t["function"]["name"] in names]
    return tools


async def answer(policy: Policy, agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Answer:
    """Run `policy`, awaiting it if it is async."""
    result = policy(agent, tools, messages)
    return await result if inspect.isawaitable(result) else result


def scripted(*answers: Answer, then: Policy | None = None) -> Policy:
    """Answer with `answers` in order, then defer to `then` (or repeat the last answer forever)."""
    queue = list(answers)

    def policy(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Answer | Awaitable[Answer]:
        if queue and (len(queue) > 1 or then is not None):
            return queue.pop(0)
        if queue:
            return queue[0]
        if then is None:
            raise LookupError("the scripted policy has no answer left")
        return then(agent, tools, messages)

    return policy


def per_agent(policies: Mapping[str, Policy], default: Policy) -> Policy:
    """Each agent its own policy; agents not named play `default`."""

    def policy(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Answer | Awaitable[Answer]:
        return policies.get(agent, default)(agent, tools, messages)

    return policy
