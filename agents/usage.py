"""Counting what a turn costs: model calls and tokens, whatever the provider."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass

from agent_framework import ChatContext, ChatMiddleware, ChatResponse


@dataclass
class TurnUsage:
    """Model calls and tokens spent on one turn."""

    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, other: TurnUsage) -> None:
        """Accumulate `other` into this usage."""
        self.llm_calls += other.llm_calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens

    def add_response(self, response: ChatResponse) -> None:
        """Accumulate the tokens a model response reports."""
        details = response.usage_details or {}
        self.input_tokens += int(details.get("input_token_count") or 0)
        self.output_tokens += int(details.get("output_token_count") or 0)

    def as_dict(self) -> dict[str, int]:
        """JSON form."""
        return asdict(self)


_CURRENT: ContextVar[TurnUsage | None] = ContextVar("turn_usage", default=None)


@contextmanager
def metered_turn(usage: TurnUsage | None = None) -> Iterator[TurnUsage]:
    """Count every model call made in this context (and the tasks it starts) into `usage`."""
    usage = usage if usage is not None else TurnUsage()
    token = _CURRENT.set(usage)
    try:
        yield usage
    finally:
        _CURRENT.reset(token)


class UsageMeter(ChatMiddleware):
    """Chat middleware that adds each model call and its reported tokens to the turn's usage."""

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        """Count the call, then its tokens once the response (or the stream's final response) is known."""
        usage = _CURRENT.get()
        if usage is None:
            await call_next()
            return
        usage.llm_calls += 1
        if context.stream:
            context.stream_result_hooks.append(lambda response: usage.add_response(response))
        await call_next()
        if not context.stream and isinstance(context.result, ChatResponse):
            usage.add_response(context.result)
