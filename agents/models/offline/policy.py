"""One model decision: answer from tool results, call a domain tool, hand off, or reply in text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent_framework import Message

from agents.models.offline import compose
from agents.models.offline.arguments import extract_arguments, holds_value, takes_whole_message
from agents.models.offline.conversation import Conversation
from agents.models.offline.profiles import (
    ParamSpec,
    ToolProfile,
    build_profile,
    disowned_terms,
    is_handoff,
    profiles_of,
)
from agents.models.offline.routing import Score, best, score_tools
from agents.models.offline.text import (
    ACKNOWLEDGEMENTS,
    FAREWELL,
    GREETING,
    PRONOUNS,
    QUESTION_WORDS,
    entity_spans,
    is_code,
    stem,
    text_terms,
    without_spans,
    words,
)

HANDOFF_DISCOUNT = 0.5  # a specialist's handoff description is written for routing, so its words count half


@dataclass(frozen=True)
class Say:
    """Answer in text."""

    text: str


@dataclass(frozen=True)
class Call:
    """Call one tool."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


Decision = Say | Call


_ACK_TERMS = frozenset(stem(w) for w in ACKNOWLEDGEMENTS)
_QUESTION_TERMS = frozenset(stem(w) for w in QUESTION_WORDS)
_SMALL_TALK = frozenset({GREETING, FAREWELL})


def _content_terms(ask: str) -> set[str]:
    """The ask's topic terms: no stopwords, question words, acknowledgements, names or numbers."""
    return set(text_terms(without_spans(ask, entity_spans(ask)))) - _ACK_TERMS - _QUESTION_TERMS


def _is_acknowledgement(ask: str) -> bool:
    ws = [w.lower for w in words(ask) if not w.is_filler]
    return bool(ws) and all(w in ACKNOWLEDGEMENTS for w in ws)


def _offered(options: Mapping[str, Any]) -> tuple[list[ToolProfile], bool]:
    """The tools the model may call under `tool_choice`, and whether it may call any at all."""
    choice = options.get("tool_choice") or "auto"
    mode = choice if isinstance(choice, str) else choice.get("mode", "auto")
    profiles = profiles_of(options.get("tools") or ())
    if not isinstance(choice, str):
        if allowed := choice.get("allowed_tools"):
            profiles = [p for p in profiles if p.name in allowed]
        if required := choice.get("required_function_name"):
            profiles = [p for p in profiles if p.name == required]
    return profiles, mode != "none"


def decide(messages: Sequence[Message], options: Mapping[str, Any]) -> Decision:
    """What a tool-using model would do next with these messages and options."""
    convo = Conversation(messages)
    if results := convo.turn_results(excluding=is_handoff):
        return Say(compose.answer_from_results(results))
    profiles, may_call = _offered(options)
    # A handoff that came back in this turn is not tried again (no ping-pong).
    profiles = [p for p in profiles if p.name not in convo.turn_calls()]
    ask = convo.ask
    if _is_acknowledgement(ask):
        return Say(compose.acknowledgement())
    if not may_call or not profiles:
        return Say(compose.greeting([p.summary for p in profiles]))
    # A bare follow-up ("and ORD-1002?") is about what the previous ask was about.
    topic = ask if _content_terms(ask) else f"{convo.previous_ask}\n{ask}"
    scores = score_tools(topic, profiles)
    handoff = best([s for s in scores if s.profile.is_handoff])
    domain_scores = [s for s in scores if not s.profile.is_handoff]
    if not domain_scores:
        if handoff is not None and handoff.value > 0:
            return Call(handoff.profile.name)
        return Say(_small_talk(ask, [p.summary for p in profiles]))
    if handoff is not None and handoff.value * HANDOFF_DISCOUNT > max(0.0, *(s.value for s in domain_scores)):
        return Call(handoff.profile.name)
    chosen = _choose(convo, ask, domain_scores, str(options.get("instructions") or ""))
    if chosen is None:
        content = _content_terms(ask)
        if handoff is not None and (content or entity_spans(ask)):
            return Call(handoff.profile.name)
        summaries = [s.profile.summary for s in domain_scores]
        if content - _SMALL_TALK or entity_spans(ask):
            return Say(compose.outside(summaries))
        return Say(_small_talk(ask, summaries))
    extraction = extract_arguments(chosen, ask, convo.earlier())
    for param in chosen.params:  # what this ask is about beats a value carried over from earlier turns
        if not _names_a_value(param, ask) and (value := _described_choice(param, ask)):
            extraction.arguments[param.name] = value
            extraction.missing = [p for p in extraction.missing if p is not param]
    if extraction.missing:
        return Say(compose.clarification(extraction.missing))
    return Call(chosen.name, extraction.arguments)


_DESCRIBED_VALUE = re.compile(r"^\s*-\s*([\w-]+)\s*:\s*(.+)$", re.MULTILINE)


def _described_choice(param: ParamSpec, ask: str) -> str | None:
    """For an enum whose description lists its values as lines "- value: what it covers", the value
    whose description the ask matches best, scored exactly as tools are (routing by description)."""
    described = [(v, d) for v, d in _DESCRIBED_VALUE.findall(param.description) if v in param.enum]
    if not described:
        return None
    top = best(score_tools(ask, [build_profile(v, d, {}) for v, d in described]))
    return top.profile.name if top is not None and top.value > 0 else None


def _names_a_value(param: ParamSpec, ask: str) -> bool:
    lowered = ask.lower()
    return any(value.lower() in lowered for value in param.enum)


def _small_talk(ask: str, summaries: list[str]) -> str:
    """A greeting (or goodbye) that says what is on offer; for an ask nothing matched, says so too."""
    content = _content_terms(ask)
    return compose.greeting(summaries, unmatched=bool(content - _SMALL_TALK), farewell=FAREWELL in content)


def _choose(convo: Conversation, ask: str, scores: list[Score], instructions: str) -> ToolProfile | None:
    """The domain tool for this ask, or None when the ask belongs to someone else.

    When the ask's words match none of the tools, it is someone else's, unless it names an identifier or
    enum value a tool takes ("is ORD-1002 late?"), or a search tool (or one that passes the whole message
    on) can take the words ("show me tents";
    not when the words are disowned, an unknown identifier is named, or the ask points back with "it").
    Otherwise the best-scoring tool wins, the one used last breaking a tie, so a bare follow-up
    ("and ORD-1002?", "what about the Aurora Pro?") goes to the tool used last.
    """
    domain = [s.profile for s in scores]
    last = convo.last_called({p.name for p in domain})

    def prefer_last(candidates: list[ToolProfile]) -> ToolProfile | None:
        return next((p for p in candidates if p.name == last), candidates[0] if candidates else None)

    content = _content_terms(ask)
    if content and not any(content & p.weights.keys() for p in domain):
        if strict := [p for p in domain if holds_value(p, ask, strict=True)]:
            return prefer_last(strict)
        disowned = disowned_terms(instructions).union(*(p.negative for p in domain))
        names = [ask[s:e] for s, e in entity_spans(ask)]
        foreign = any(is_code(name) and not any(holds_value(p, name) for p in domain) for name in names)
        if content & disowned or foreign or any(w.lower in PRONOUNS for w in words(ask)):
            return None
        return prefer_last(
            [p for p in domain if any(param.is_search_text or takes_whole_message(param) for param in p.params)]
        )
    top = best(scores)
    if top is not None and top.value > 0:
        return prefer_last([s.profile for s in scores if s.value >= top.value - 1e-9])
    return prefer_last([p for p in domain if holds_value(p, ask)])
