"""Reading the conversation the model is given: the current ask, this turn's tool results, earlier calls."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from agent_framework import Content, Message

from agents.models.offline.compose import parse_result, result_records
from agents.models.offline.text import is_code, words

# An ask that follows up the one before ("and the tent?", "ok what about the coffee machine one").
FOLLOW_UP = re.compile(
    r"^\s*(?:(?:ok|okay|alright|so|well)\W+)?(?:and|also|what about|how about|same for|and for|what of)\b"
    r"|^\s*(?:(?:ok|okay|alright|so|well)\W+)?what if (?:i|we|u|you)\s+(?:also\s+)?(?:add|throw in|toss in)\b"
    r"|^\s*(?:(?:ok|okay|alright|so|well)\W+)?what if\b.*\b(?:instead|too|as well)\W*$",  # "what if i get X instead"
    re.IGNORECASE,
)
# "Please give the product name or SKU, e.g. OUT-300": an identifier given as an example of how to write one.
_EXAMPLE = re.compile(r"\b(?:e\.g\.|eg\.|for example|for instance|such as)\s*,?\s*:?\s*['\"]?(?=\S)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ADDS = re.compile(r"^\s*(?:(?:ok|okay|alright|so|well)\W+)?(?:also|and also|plus)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """One earlier message: who wrote it, its text, the arguments of the calls it made and the records
    the results it holds list."""

    role: str
    text: str
    arguments: dict[str, Any]
    records: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Step:
    """One tool call of this turn and its result (None until it is in)."""

    name: str
    arguments: dict[str, Any]
    result: Any


@dataclass(frozen=True)
class Conversation:
    """The messages of one model call, split at the shopper's last message."""

    messages: Sequence[Message]

    @cached_property
    def last_user(self) -> int:
        return next((i for i in range(len(self.messages) - 1, -1, -1) if self.messages[i].role == "user"), -1)

    @cached_property
    def ask(self) -> str:
        """The shopper's current ask: the text of the last user message, or its last sentence when that
        follows up after a reaction or an aside ("denver?? i live in europe haha. ok what about the coffee
        machine one" asks what its last sentence asks)."""
        i = self.last_user
        text = self.messages[i].text if i >= 0 else ""
        sentences = [part for part in _SENTENCE_END.split(text) if part.strip()]
        if len(sentences) < 2 or not FOLLOW_UP.match(sentences[-1]):
            return text
        # "did my trail runners ship yet? also is the sleeping bag order moving": "also" adds a question to one
        # asked before it, while "denver?? ... ok what about the coffee machine one" asks instead
        adds = _ADDS.match(sentences[-1]) and any(len(words(s)) > 2 and "?" in s for s in sentences[:-1])
        return text if adds else sentences[-1]

    @property
    def closing_question(self) -> str | None:
        """The question the ask ends with when the sentences before it only set the scene and ask nothing
        ("setting up a home office, need a standing desk + chair. any bundle?"); None otherwise."""
        sentences = [part for part in _SENTENCE_END.split(self.ask) if part.strip()]
        if len(sentences) < 2 or not sentences[-1].rstrip().endswith("?") or "?" in "".join(sentences[:-1]):
            return None
        return sentences[-1]

    @property
    def previous_ask(self) -> str:
        """The text of the shopper's message before the current ask ("" if none)."""
        before = self.messages[: max(self.last_user, 0)]
        return next((m.text for m in reversed(before) if m.role == "user" and m.text), "")

    def _turn_contents(self, kind: str) -> list[Content]:
        return [c for m in self.messages[self.last_user + 1 :] for c in m.contents if c.type == kind]

    def turn_calls(self) -> list[str]:
        """Names of the tools called in this turn (after the last user message)."""
        return [c.name or "" for c in self._turn_contents("function_call")]

    def turn_answered(self) -> bool:
        """Whether an agent already answered the shopper in this turn (text after the last user message)."""
        return any(m.role == "assistant" and m.text.strip() for m in self.messages[self.last_user + 1 :])

    def turn_steps(self, *, excluding: Callable[[str], bool]) -> list[Step]:
        """This turn's tool calls with their results, in order, but not those whose name is `excluding`."""
        results = {c.call_id: c.result for c in self._turn_contents("function_result")}
        return [
            Step(c.name or "", _arguments(c), results.get(c.call_id))
            for c in self._turn_contents("function_call")
            if not excluding(c.name or "")
        ]

    def earlier(self) -> Sequence[Evidence]:
        """What the messages before the current ask said, newest first."""
        return self._earlier

    @cached_property
    def _unfound(self) -> dict[str, str]:
        """For each earlier call a lookup of which found nothing, what it looked for ("catch": no product)."""
        found = {}
        for m in self.messages[: max(self.last_user, 0)]:
            for c in m.contents:
                if c.type == "function_result" and c.call_id:
                    data = parse_result(c.result)
                    if isinstance(data, dict) and data.get("error") and isinstance(data.get("query"), str):
                        found[c.call_id] = data["query"]
        return found

    def _found_arguments(self, call: Content) -> dict[str, Any]:
        """The call's arguments without what its lookup found nothing for: that names no thing spoken of."""
        arguments = _arguments(call)
        unfound = self._unfound.get(call.call_id or "")
        if unfound is None:
            return arguments
        kept = {k: [i for i in v if i != unfound] if isinstance(v, list) else v for k, v in arguments.items()}
        return {k: v for k, v in kept.items() if v != unfound and v != []}

    @cached_property
    def _earlier(self) -> tuple[Evidence, ...]:
        found = []
        for m in reversed(self.messages[: max(self.last_user, 0)]):
            arguments: dict[str, Any] = {}
            records: list[dict[str, Any]] = []
            for c in m.contents:
                if c.type == "function_call":
                    arguments |= self._found_arguments(c)
                elif c.type == "function_result":
                    records += result_records(c.result)
            if m.text or arguments or records:
                text = m.text if m.role == "user" else _without_examples(m.text)
                found.append(Evidence(str(m.role), text, arguments, tuple(records)))
        return tuple(found)

    def last_code(self) -> str | None:
        """What was proposed last: the first identifier ("ORD-1003") among the arguments of the newest
        earlier call, else in the last assistant message before the ask."""
        for evidence in self.earlier():
            if evidence.arguments:
                values = [v for v in evidence.arguments.values() if isinstance(v, str) and is_code(v)]
                if values:
                    return values[0]
            elif evidence.role == "assistant":
                return next((w.text for w in words(evidence.text) if is_code(w.text)), None)
        return None

    def last_call(self, names: set[str]) -> tuple[str, dict[str, Any]] | None:
        """The newest earlier call among the tools `names`: its name and arguments."""
        for m in reversed(self.messages[: max(self.last_user, 0)]):
            for c in reversed(m.contents):
                if c.type == "function_call" and c.name in names:
                    return c.name or "", _arguments(c)
        return None

    def last_value(self, name: str) -> Any:
        """The newest earlier call's value for the argument `name` (None when no earlier call gave one)."""
        for m in reversed(self.messages[: max(self.last_user, 0)]):
            for c in reversed(m.contents):
                if c.type == "function_call" and (value := self._found_arguments(c).get(name)) not in (None, "", []):
                    return value
        return None

    def last_called(self, names: set[str]) -> str | None:
        """The newest earlier call's tool name among `names`."""
        for m in reversed(self.messages):
            for c in reversed(m.contents):
                if c.type == "function_call" and c.name in names:
                    return c.name
        return None


def _without_examples(text: str) -> str:
    """A reply with the identifiers it gives only as examples blanked ("Which product do you mean? Please give
    the product name or SKU, e.g. OUT-300." speaks of no product: "it" after it is not the tent OUT-300)."""
    for m in reversed(list(_EXAMPLE.finditer(text))):
        example = next(iter(words(text[m.end() :])), None)
        if example is not None and example.start == 0 and is_code(example.text):
            start, end = m.end(), m.end() + example.end
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _arguments(call: Content) -> dict[str, Any]:
    raw = call.arguments
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            return {}
    return dict(raw) if isinstance(raw, dict) else {}


def message_chars(messages: Sequence[Message]) -> int:
    """Characters a model would read in `messages`: texts, call arguments and results."""
    total = 0
    for m in messages:
        for c in m.contents:
            if c.type == "text":
                total += len(c.text or "")
            elif c.type == "function_call":
                total += len(c.name or "") + len(_as_text(c.arguments))
            elif c.type == "function_result":
                total += len(_as_text(c.result))
    return total


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str) if value is not None else ""
