"""The offline chat client: a deterministic, tool-using model that needs no key and no network."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from typing import Any, ClassVar

from agent_framework import (
    BaseChatClient,
    ChatMiddlewareLayer,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FinishReasonLiteral,
    FunctionInvocationLayer,
    Message,
    ResponseStream,
    UsageDetails,
)
from agent_framework.observability import ChatTelemetryLayer

from agents.models.offline.conversation import message_chars
from agents.models.offline.lexicon import preload
from agents.models.offline.policy import Call, Decision, decide
from agents.models.offline.profiles import profiles_of
from agents.models.offline.text import estimate_tokens, tokens_for_chars

MODEL_NAME = "offline"
_CHUNK = re.compile(r"(?:\S+\s*){1,3}|\s+")


def text_chunks(text: str) -> list[str]:
    """`text` cut into streaming chunks of up to three words; joined back they equal `text`."""
    return _CHUNK.findall(text)


class OfflineChatClient(FunctionInvocationLayer, ChatMiddlewareLayer, ChatTelemetryLayer, BaseChatClient):
    """A deterministic model that reads the offered tools and the conversation and answers like an LLM would.

    It calls the domain tool an ask is about (arguments taken from the text), calls a `handoff_to_*` tool
    when another agent owns the ask, or answers in text, composed from this turn's tool results. Text is
    streamed in chunks of a few words, each response reports estimated token usage, `calls` counts model
    calls, and `token_delay_ms` makes every output token cost that long (to imitate a remote model).
    """

    OTEL_PROVIDER_NAME: ClassVar[str] = MODEL_NAME

    def __init__(self, *, token_delay_ms: float = 0.0, **kwargs: Any) -> None:
        """Create the model; `kwargs` go to the MAF layers (e.g. `middleware`, `function_invocation_configuration`)."""
        super().__init__(**kwargs)
        preload()
        self.token_delay_ms = token_delay_ms
        self.calls = 0

    def _inner_get_response(
        self, *, messages: Sequence[Message], stream: bool, options: Mapping[str, Any], **kwargs: Any
    ) -> Awaitable[ChatResponse] | ResponseStream[ChatResponseUpdate, ChatResponse]:
        self.calls += 1
        if stream:
            return self._build_response_stream(self._stream(messages, options))
        return self._respond(messages, options)

    def _plan(self, messages: Sequence[Message], options: Mapping[str, Any]) -> tuple[list[Content], UsageDetails]:
        """The contents of the reply (text chunks or one function call) and the usage it reports."""
        decision: Decision = decide(messages, options)
        contents = [Content.from_text(chunk) for chunk in text_chunks(decision.text)]
        if isinstance(decision, Call):
            arguments = json.dumps(decision.arguments)
            contents.append(Content.from_function_call(f"call_{uuid.uuid4().hex}", decision.name, arguments=arguments))
        instructions = options.get("instructions") or ""
        schema_chars = sum(p.schema_chars for p in profiles_of(options.get("tools") or ()))
        input_tokens = tokens_for_chars(len(str(instructions)) + message_chars(messages) + schema_chars)
        output_tokens = estimate_tokens("".join(_produced(c) for c in contents))
        usage = UsageDetails(
            input_token_count=input_tokens,
            output_token_count=output_tokens,
            total_token_count=input_tokens + output_tokens,
        )
        return contents, usage

    async def _pause(self, content: Content) -> None:
        """Wait as long as a remote model would take to produce `content`."""
        if self.token_delay_ms > 0:
            await asyncio.sleep(self.token_delay_ms * estimate_tokens(_produced(content)) / 1000)

    async def _respond(self, messages: Sequence[Message], options: Mapping[str, Any]) -> ChatResponse:
        contents, usage = self._plan(messages, options)
        for content in contents:
            await self._pause(content)
        response_id = f"resp_{uuid.uuid4().hex}"
        text = "".join(c.text or "" for c in contents if c.type == "text")
        calls = [c for c in contents if c.type != "text"]
        reply = [Content.from_text(text), *calls] if text else calls
        return ChatResponse(
            messages=[Message(role="assistant", contents=reply, message_id=response_id)],
            response_id=response_id,
            model=MODEL_NAME,
            finish_reason=_finish_reason(contents),
            usage_details=usage,
        )

    async def _stream(
        self, messages: Sequence[Message], options: Mapping[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        contents, usage = self._plan(messages, options)
        response_id = f"resp_{uuid.uuid4().hex}"
        common: dict[str, Any] = {"role": "assistant", "response_id": response_id, "message_id": response_id}
        for content in contents:
            await self._pause(content)
            yield ChatResponseUpdate(contents=[content], model=MODEL_NAME, **common)
        yield ChatResponseUpdate(
            contents=[Content.from_usage(usage)], finish_reason=_finish_reason(contents), model=MODEL_NAME, **common
        )


def _produced(content: Content) -> str:
    """What the model writes for `content`: its text, or the call's name and arguments."""
    return content.text or "" if content.type == "text" else f"{content.name}{content.arguments}"


def _finish_reason(contents: Sequence[Content]) -> FinishReasonLiteral:
    return "tool_calls" if any(c.type == "function_call" for c in contents) else "stop"
