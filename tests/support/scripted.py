"""A scripted MAF chat client for tests that need a model to behave a given way, and policies run in-process."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from agent_framework import (
    BaseChatClient,
    ChatMiddlewareLayer,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FunctionInvocationLayer,
    Message,
    UsageDetails,
)

from agents.definitions import AGENTS
from tests.support.chat_double.policies import Policy
from tests.support.chat_double.replies import Reply, ToolCall
from tests.support.chat_double.wire import text_pieces, tokens

Turn = str | tuple[str, str] | Reply | Callable[[Sequence[Message], Mapping[str, Any]], "Turn"]
_ids = itertools.count(1)


class ScriptedChatClient(FunctionInvocationLayer, ChatMiddlewareLayer, BaseChatClient):
    """Answers each call with the next scripted turn: text, ("call", tool_name), or a `Reply` (text and calls).

    With `repeat=True` the last turn is reused forever (e.g. a model that always hands off). Text is
    streamed in pieces and every response reports token usage, as a provider's does.
    """

    OTEL_PROVIDER_NAME = "scripted"

    def __init__(self, script: Sequence[Turn], *, repeat: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.script = list(script)
        self.repeat = repeat
        self.calls: list[dict[str, Any]] = []

    def _next(self, messages: Sequence[Message], options: Mapping[str, Any]) -> list[Content]:
        self.calls.append({"messages": list(messages), "tools": [t.name for t in options.get("tools") or []]})
        if self.script:
            turn = self.script[0] if (self.repeat and len(self.script) == 1) else self.script.pop(0)
        else:
            turn = "(script exhausted)"
        while callable(turn):
            turn = turn(messages, options)
        if isinstance(turn, tuple):
            turn = Reply(tool_calls=(ToolCall(turn[1]),))
        if isinstance(turn, str):
            turn = Reply(text=turn)
        contents = [Content.from_text(piece) for piece in text_pieces(turn.text or "")]
        contents += [
            Content.from_function_call(call_id=c.id or f"call_{uuid.uuid4().hex}", name=c.name, arguments=c.arguments)
            for c in turn.tool_calls
        ]
        return contents or [Content.from_text("")]

    def _inner_get_response(self, *, messages, stream, options, **kwargs):  # type: ignore[no-untyped-def]
        if stream:

            async def _stream():  # type: ignore[no-untyped-def]
                rid = f"resp_{next(_ids)}"
                contents = self._next(messages, options)
                for content in contents:
                    await asyncio.sleep(0)  # each piece arrives in its own read, as over a provider's stream
                    yield ChatResponseUpdate(role="assistant", contents=[content], response_id=rid, message_id=rid)
                yield ChatResponseUpdate(
                    role="assistant",
                    contents=[Content.from_usage(_usage(messages, contents))],
                    response_id=rid,
                    message_id=rid,
                    finish_reason="stop",
                )

            return self._build_response_stream(_stream(), response_format=options.get("response_format"))

        async def _get() -> ChatResponse:
            contents = self._next(messages, options)
            said = "".join(c.text or "" for c in contents if c.type == "text")
            merged = [Content.from_text(said)] if said else []
            merged += [c for c in contents if c.type == "function_call"]
            reply = Message(role="assistant", contents=merged or contents)
            return ChatResponse(messages=[reply], usage_details=_usage(messages, contents))

        return _get()


def _usage(messages: Sequence[Message], contents: Sequence[Content]) -> UsageDetails:
    """Tokens estimated as the double does: about four characters each."""
    written = "".join(c.text or f"{c.name}{c.arguments}" for c in contents)
    prompt = tokens("".join(m.text or "" for m in messages)) + len(messages)
    output = max(1, tokens(written))
    return UsageDetails(input_token_count=prompt, output_token_count=output, total_token_count=prompt + output)


def to_wire_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """MAF messages as Chat Completions messages, as a provider client would send them."""
    wire: list[dict[str, Any]] = []
    for m in messages:
        said = "".join(c.text or "" for c in m.contents if c.type == "text")
        results = [c for c in m.contents if c.type == "function_result"]
        calls = [c for c in m.contents if c.type == "function_call"]
        for r in results:
            result = r.result if isinstance(r.result, str) else json.dumps(r.result, default=str)
            wire.append({"role": "tool", "tool_call_id": r.call_id, "content": result})
        if calls:
            wire.append({"role": "assistant", "content": said or None, "tool_calls": [_wire_call(c) for c in calls]})
        elif said and not results:
            wire.append({"role": str(m.role), "content": said})
    return wire


def _wire_call(call: Content) -> dict[str, Any]:
    arguments = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments or {})
    return {"id": call.call_id, "type": "function", "function": {"name": call.name, "arguments": arguments}}


def to_wire_tools(tools: Sequence[Any]) -> list[dict[str, Any]]:
    """MAF tools as Chat Completions tool declarations."""
    return [
        {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters()}}
        for t in tools
    ]


def in_process(policy: Policy, agent: str) -> ScriptedChatClient:
    """A chat client that answers as `policy` (a synchronous one) would for `agent`, with MAF running the tools."""

    def turn(messages: Sequence[Message], options: Mapping[str, Any]) -> Turn:
        offered = [] if options.get("tool_choice") == "none" else list(options.get("tools") or ())
        return policy(agent, to_wire_tools(offered), to_wire_messages(messages))  # type: ignore[return-value]

    return ScriptedChatClient([turn], repeat=True)


def in_process_models(policy: Policy) -> dict[str, ScriptedChatClient]:
    """One in-process client playing `policy` for each agent of the mesh, by agent name."""
    return {name: in_process(policy, name) for name in AGENTS}
