"""What a policy answers: a reply (text and/or tool calls) or a fault, and helpers to build them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from tests.support.chat_double.errors import Violation, api_error


@dataclass(frozen=True)
class ToolCall:
    """One function call the model makes; `arguments` is sent as a JSON string (a str is sent as is).

    Without an `id`, each response that carries the call gets a new one, as a model mints ids per response.
    """

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)
    id: str | None = None

    @property
    def arguments_json(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass(frozen=True)
class Reply:
    """An assistant message: text, tool calls, or both."""

    text: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()

    @property
    def finish_reason(self) -> str:
        return "tool_calls" if self.tool_calls else "stop"

    def with_ids(self) -> Reply:
        """This reply with a new id for every call that has none."""
        return replace(self, tool_calls=tuple(replace(c, id=c.id or new_call_id()) for c in self.tool_calls))


def new_call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


@dataclass(frozen=True)
class Fault:
    """An HTTP error answered instead of a completion (400, 429 with `retry-after`, 500, ...)."""

    error: Violation
    retry_after: float | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {} if self.retry_after is None else {"retry-after": f"{self.retry_after:g}"}


Answer = Reply | Fault


def text(content: str) -> Reply:
    """A plain text answer."""
    return Reply(text=content)


def call(name: str, arguments: dict[str, Any] | str | None = None, *, content: str | None = None) -> Reply:
    """One tool call, optionally with text in the same message."""
    return Reply(text=content, tool_calls=(ToolCall(name, arguments if arguments is not None else {}),))


def calls(*tool_calls: ToolCall | tuple[str, dict[str, Any]] | str, content: str | None = None) -> Reply:
    """Several tool calls in one message (each a ToolCall, a (name, arguments) pair, or a bare name)."""
    built = []
    for c in tool_calls:
        if isinstance(c, ToolCall):
            built.append(c)
        elif isinstance(c, tuple):
            built.append(ToolCall(c[0], c[1]))
        else:
            built.append(ToolCall(c))
    return Reply(text=content, tool_calls=tuple(built))


def bad_request(message: str = "Invalid request.", *, code: str | None = None) -> Fault:
    """A 400 the provider answers (e.g. a content-filter or a context-length error)."""
    return Fault(api_error(400, message, code=code))


def rate_limited(retry_after: float = 1.0) -> Fault:
    """A 429 with `retry-after`, as the API answers when a rate limit is hit."""
    return Fault(api_error(429, None), retry_after=retry_after)


def server_error(status: int = 500) -> Fault:
    """A 5xx the provider answers."""
    return Fault(api_error(status))
