"""Completion objects and streamed chunks shaped like the real API's, with a deterministic token count."""

from __future__ import annotations

import json
import math
import re
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tests.support.chat_double.replies import Reply

CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD = 4  # tokens per message for role and framing, as chat models count them
FINGERPRINT = "fp_double"
_TEXT_PIECES = re.compile(r"\S+\s*|\s+")
ARGUMENT_PIECE = 8  # characters of `arguments` per streamed tool-call chunk


def tokens(text: str) -> int:
    """A deterministic estimate: about four characters per token."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def prompt_tokens(body: Mapping[str, Any]) -> int:
    """Tokens of the request's messages and tool declarations."""
    total = 0
    for message in body.get("messages") or ():
        total += MESSAGE_OVERHEAD + tokens(json.dumps(message.get("content") or ""))
        total += sum(tokens(json.dumps(c.get("function") or {})) for c in message.get("tool_calls") or ())
    if body.get("tools"):
        total += tokens(json.dumps(body["tools"]))
    return total


def completion_tokens(reply: Reply) -> int:
    return tokens(reply.text or "") + sum(tokens(c.name + c.arguments_json) for c in reply.tool_calls)


def usage(body: Mapping[str, Any], reply: Reply) -> dict[str, Any]:
    prompt, completion = prompt_tokens(body), completion_tokens(reply)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
    }


def _head(model: str) -> dict[str, Any]:
    return {"id": f"chatcmpl-{uuid.uuid4().hex[:29]}", "created": int(time.time()), "model": model}


def _wire_calls(reply: Reply) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments_json}}
        for c in reply.tool_calls
    ]


def completion(body: Mapping[str, Any], model: str, reply: Reply) -> dict[str, Any]:
    """A `chat.completion` object answering `body` with `reply`."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.text, "refusal": None, "annotations": []}
    if reply.tool_calls:
        message["tool_calls"] = _wire_calls(reply)
    return {
        **_head(model),
        "object": "chat.completion",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": reply.finish_reason}],
        "usage": usage(body, reply),
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }


def chunks(body: Mapping[str, Any], model: str, reply: Reply) -> Iterator[dict[str, Any]]:
    """The `chat.completion.chunk` events streaming `reply`: role first, text in pieces, each call's id and name
    first and its arguments in several pieces, the finish reason, then usage if `stream_options.include_usage`."""
    head = {**_head(model), "object": "chat.completion.chunk", "system_fingerprint": FINGERPRINT}
    with_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    extra = {"usage": None} if with_usage else {}

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return {**head, "choices": [choice], **extra}

    yield chunk({"role": "assistant", "content": "", "refusal": None})
    for piece in text_pieces(reply.text or ""):
        yield chunk({"content": piece})
    for index, call in enumerate(reply.tool_calls):
        opening = {"index": index, "id": call.id, "type": "function", "function": {"name": call.name, "arguments": ""}}
        yield chunk({"tool_calls": [opening]})
        for piece in _pieces(call.arguments_json, ARGUMENT_PIECE):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    yield chunk({}, reply.finish_reason)
    if with_usage:
        yield {**head, "choices": [], "usage": usage(body, reply)}


def text_pieces(text: str) -> list[str]:
    """`text` in the word-sized pieces a model streams it in."""
    return _TEXT_PIECES.findall(text)


def _pieces(text: str, size: int) -> Sequence[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def sse(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    """Server-sent events lines for the chunks, closed by `data: [DONE]`."""
    for event in events:
        yield f"data: {json.dumps(event)}\n\n"
    yield "data: [DONE]\n\n"
