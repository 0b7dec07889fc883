"""A strict OpenAI Chat Completions double: validates requests like the real API and plays a scripted policy."""

from tests.support.chat_double.errors import Violation
from tests.support.chat_double.policies import Policy, per_agent, scripted
from tests.support.chat_double.replies import (
    Answer,
    Fault,
    Reply,
    ToolCall,
    bad_request,
    call,
    calls,
    rate_limited,
    server_error,
    text,
)
from tests.support.chat_double.server import ChatDouble, Received, chat_double

__all__ = [
    "Answer",
    "ChatDouble",
    "Fault",
    "Policy",
    "Received",
    "Reply",
    "ToolCall",
    "Violation",
    "bad_request",
    "call",
    "calls",
    "chat_double",
    "per_agent",
    "rate_limited",
    "scripted",
    "server_error",
    "text",
]
