"""A scripted MAF chat client for tests that need a model to behave a given way."""

from __future__ import annotations

import itertools
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
)

Turn = str | tuple[str, str] | Callable[[Sequence[Message], Mapping[str, Any]], "Turn"]
_ids = itertools.count(1)


class ScriptedChatClient(FunctionInvocationLayer, ChatMiddlewareLayer, BaseChatClient):
    """Answers each call with the next scripted turn: text, or ("call", tool_name).

    With `repeat=True` the last turn is reused forever (e.g. a model that always hands off).
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
            return [Content.from_function_call(call_id=f"call_{uuid.uuid4().hex}", name=turn[1], arguments={})]
        return [Content.from_text(turn)]

    def _inner_get_response(self, *, messages, stream, options, **kwargs):  # type: ignore[no-untyped-def]
        if stream:

            async def _stream():  # type: ignore[no-untyped-def]
                rid = f"resp_{next(_ids)}"
                for content in self._next(messages, options):
                    yield ChatResponseUpdate(role="assistant", contents=[content], response_id=rid, message_id=rid)
                yield ChatResponseUpdate(
                    role="assistant", contents=[], response_id=rid, message_id=rid, finish_reason="stop"
                )

            return self._build_response_stream(_stream(), response_format=options.get("response_format"))

        async def _get() -> ChatResponse:
            return ChatResponse(messages=[Message(role="assistant", contents=self._next(messages, options))])

        return _get()
