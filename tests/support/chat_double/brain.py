"""The default policy: the project's offline model decides, as an LLM would, through its public chat-client API.

The wire request is turned into MAF messages and declaration-only tools, the offline client answers once
(its function-invocation loop switched off, so no tool ever runs here), and its answer becomes the wire reply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agent_framework import Content, FunctionTool, Message

from agents.models.offline import OfflineChatClient
from tests.support.chat_double.policies import message_text
from tests.support.chat_double.replies import Reply, ToolCall


def to_maf_messages(messages: Sequence[Mapping[str, Any]]) -> tuple[str, list[Message]]:
    """The system/developer text (as instructions) and the rest of the conversation as MAF messages."""
    instructions: list[str] = []
    converted: list[Message] = []
    for m in messages:
        role = m["role"]
        if role in ("system", "developer"):
            instructions.append(message_text(m))
        elif role == "tool":
            result = Content.from_function_result(call_id=m["tool_call_id"], result=message_text(m))
            converted.append(Message(role="tool", contents=[result]))
        elif role == "assistant":
            contents = [Content.from_text(message_text(m))] if message_text(m) else []
            for c in m.get("tool_calls") or ():
                fn = c["function"]
                contents.append(Content.from_function_call(c["id"], fn["name"], arguments=fn["arguments"]))
            converted.append(Message(role="assistant", contents=contents, author_name=m.get("name")))
        else:
            converted.append(Message(role="user", contents=[Content.from_text(message_text(m))]))
    return "\n".join(instructions), converted


def to_maf_tools(tools: Sequence[Mapping[str, Any]]) -> list[FunctionTool]:
    """Declaration-only MAF tools with the wire declarations' names, descriptions and JSON schemas."""
    return [
        FunctionTool(
            name=t["function"]["name"],
            description=t["function"].get("description") or "",
            func=None,
            input_model=t["function"].get("parameters") or {"type": "object", "properties": {}},
        )
        for t in tools
    ]


def to_reply(contents: Sequence[Content]) -> Reply:
    """The wire reply for the model's answer: its text and its function calls."""
    text = "".join(c.text or "" for c in contents if c.type == "text")
    calls = tuple(
        ToolCall(c.name or "", c.arguments if c.arguments is not None else {}, c.call_id)
        for c in contents
        if c.type == "function_call"
    )
    return Reply(text=text or None, tool_calls=calls)


class OfflineBrain:
    """A policy answering like the offline model would, whatever agent calls."""

    def __init__(self) -> None:
        self.client = OfflineChatClient(function_invocation_configuration={"enabled": False})

    async def __call__(self, agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Reply:
        instructions, conversation = to_maf_messages(messages)
        options: dict[str, Any] = {"instructions": instructions} if instructions else {}
        if tools:
            options |= {"tools": to_maf_tools(tools), "tool_choice": "auto"}
        response = await self.client.get_response(conversation, options=options)
        return to_reply([c for m in response.messages for c in m.contents])
