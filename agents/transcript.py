"""The transcript invariant: what an agent keeps is always a conversation a Chat Completions API accepts.

A real provider rejects a request whose messages break tool-call pairing: every assistant tool call
must be followed, before any other message, by exactly one tool result per call id; a tool result
must answer a call of the assistant message just before it; an assistant message must say something
or call something. Anything that keeps messages for a later model call (the orchestrator's mesh
checkpoints, a specialist's session) goes through this module: `window` cuts only where pairs stay
whole, `violations` says what is wrong with a stored transcript, and `repair` drops what can't be
sent (unanswered calls, orphaned results, empty messages) so a broken state heals instead of failing
every later turn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from agent_framework import Content, Message

# A rough, provider-neutral token estimate: about four characters a token, plus a per-message overhead.
CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD_TOKENS = 4


@dataclass(frozen=True)
class Violation:
    """One break of the invariant, at message `index`."""

    index: int
    problem: str

    def __str__(self) -> str:
        return f"message {self.index}: {self.problem}"


def estimate_tokens(message: Message) -> int:
    """Estimated prompt tokens of one message (text, call names and arguments, results)."""
    chars = 0
    for content in message.contents:
        if content.type == "text":
            chars += len(content.text or "")
        elif content.type == "function_call":
            chars += len(content.name or "") + len(str(content.arguments or ""))
        elif content.type == "function_result":
            chars += len(str(content.result or ""))
    return MESSAGE_OVERHEAD_TOKENS + math.ceil(chars / CHARS_PER_TOKEN)


def window_start(messages: Sequence[Message], *, max_messages: int, max_tokens: int) -> int:
    """Where to cut `messages` so the rest fits both budgets without splitting a call from its results.

    The cut lands on a shopper (user) message, so the window opens with a whole turn. When the newest
    turn alone is over budget it is kept whole anyway; with no user message at all the cut lands on
    the first message that is not a tool result.
    """
    count = len(messages)
    start = max(0, count - max_messages)
    tokens = sum(estimate_tokens(m) for m in messages[start:])
    while start < count and tokens > max_tokens:
        tokens -= estimate_tokens(messages[start])
        start += 1
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    later = [i for i in users if i >= start]
    if later:
        return later[0]
    if users:
        return users[-1]
    while start < count and _is_result_message(messages[start]):
        start += 1
    return start


def window(messages: Sequence[Message], *, max_messages: int, max_tokens: int) -> list[Message]:
    """The newest messages within both budgets, pairs kept whole (see `window_start`)."""
    return list(messages[window_start(messages, max_messages=max_messages, max_tokens=max_tokens) :])


def violations(messages: Sequence[Message]) -> list[Violation]:
    """Every break of the invariant in `messages` (empty when a provider would accept them)."""
    return _walk(messages)[1]


def repair(messages: Sequence[Message]) -> list[Message]:
    """`messages` without what breaks the invariant: unanswered calls, orphaned results, empty messages."""
    return [message for _, message in _walk(messages)[0]]


def repair_indexed(messages: Sequence[Message]) -> list[tuple[int, Message]]:
    """`repair`, with each kept message's index in `messages` (for a transcript kept in two parts).

    A kept message is the input object itself when nothing in it changed, else a trimmed copy.
    """
    return _walk(messages)[0]


def _walk(messages: Sequence[Message]) -> tuple[list[tuple[int, Message]], list[Violation]]:
    kept: list[tuple[int, Message]] = []
    problems: list[Violation] = []
    index = 0
    while index < len(messages):
        message = messages[index]
        calls = [c for c in message.contents if c.type == "function_call"]
        if _is_result_message(message):
            problems.append(Violation(index, "tool result without the assistant call it answers"))
            index += 1
            continue
        if not calls:
            if message.role == "assistant" and not _says_something(message):
                problems.append(Violation(index, "empty assistant message"))
            else:
                kept.append((index, message))
            index += 1
            continue
        block_end = index + 1
        while block_end < len(messages) and _is_result_message(messages[block_end]):
            block_end += 1
        answered, block, block_problems = _answer_block(index, calls, messages[index + 1 : block_end])
        problems += block_problems
        opener = _with_contents(message, _answered_calls_only(message.contents, answered))
        if opener is not None and (answered or _says_something(opener)):
            kept.append((index, opener))
        kept += block
        index = block_end
    return kept, problems


def _answer_block(
    opener_index: int, calls: list[Content], results: Sequence[Message]
) -> tuple[set[str], list[tuple[int, Message]], list[Violation]]:
    """The call ids answered by the tool messages after an assistant call, and those messages cleaned."""
    problems: list[Violation] = []
    open_ids: list[str] = []
    for call in calls:
        if not call.call_id or call.call_id in open_ids:
            problems.append(Violation(opener_index, f"tool call {call.call_id!r} has a missing or repeated id"))
        else:
            open_ids.append(call.call_id)
    answered: set[str] = set()
    block: list[tuple[int, Message]] = []
    for offset, message in enumerate(results, start=opener_index + 1):
        contents = []
        for content in message.contents:
            if content.call_id in open_ids and content.call_id not in answered:
                answered.add(content.call_id)
                contents.append(content)
            else:
                problems.append(Violation(offset, f"tool result {content.call_id!r} answers no open call"))
        cleaned = _with_contents(message, contents)
        if cleaned is not None:
            block.append((offset, cleaned))
    for call_id in open_ids:
        if call_id not in answered:
            problems.append(Violation(opener_index, f"tool call {call_id!r} has no result"))
    return answered, block, problems


def _answered_calls_only(contents: Sequence[Content], answered: set[str]) -> list[Content]:
    """`contents` without the calls left unanswered (and without a second call under one id)."""
    kept, seen = [], set()
    for content in contents:
        if content.type == "function_call":
            if content.call_id not in answered or content.call_id in seen:
                continue
            seen.add(content.call_id)
        kept.append(content)
    return kept


def _is_result_message(message: Message) -> bool:
    return message.role == "tool" or (
        bool(message.contents) and all(c.type == "function_result" for c in message.contents)
    )


def _says_something(message: Message) -> bool:
    return any(
        (c.type == "text" and (c.text or "").strip()) or c.type not in ("text", "function_call", "function_result")
        for c in message.contents
    )


def _with_contents(message: Message, contents: list[Content]) -> Message | None:
    """`message` itself when nothing was removed, else a copy with `contents` (None when empty)."""
    if len(contents) == len(message.contents):
        return message
    if not contents:
        return None
    return Message(
        message.role,
        contents,
        author_name=message.author_name,
        message_id=message.message_id,
        additional_properties=dict(message.additional_properties or {}),
    )
