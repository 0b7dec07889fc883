"""One model decision: answer from tool results, call a domain tool, hand off, or reply in text."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent_framework import Content, Message

from agents.models.offline import compose
from agents.models.offline.arguments import (
    Extraction,
    extract_arguments,
    holds_identifier,
    holds_value,
    own_discount_spans,
    takes_whole_message,
)
from agents.models.offline.conversation import FOLLOW_UP, Conversation, Step
from agents.models.offline.lexicon import (
    ABOUT_ONE,
    ABOUT_ONE_MEANING,
    GENERIC_WORDS,
    destination_terms,
    is_product_kind,
    may_name_thing,
    phrase_spans,
    said_of_shopper_spans,
    synonym_terms,
    without_fixed_phrases,
    without_pleasantries,
    word_meanings,
)
from agents.models.offline.measures import measured_answer
from agents.models.offline.narrowing import narrowed, others_only
from agents.models.offline.planning import (
    answered_step,
    failed,
    leftover_words,
    lists_values_of,
    lookup_tool,
    pick_identifier,
    retry_family,
    retry_query,
    retry_suggestion,
    retry_without,
    search_for_need,
    search_for_several,
    several_found,
)
from agents.models.offline.profiles import (
    ASIDE_WEIGHT,
    ParamSpec,
    ToolProfile,
    build_profile,
    disowned_terms,
    disowned_words,
    is_handoff,
    profiles_of,
    tool_forms,
    value_fields,
    vocabulary,
    written_forms,
)
from agents.models.offline.references import (
    IDENTIFIED,
    asks_each,
    described_one,
    kind_reference_span,
    points_back,
    refers_to_many,
    refers_to_others,
    resolve,
)
from agents.models.offline.routing import (
    DESCRIBING_TERMS,
    Score,
    best,
    by_examples_only,
    coverage,
    score_tools,
    topic_terms,
)
from agents.models.offline.superlative import picked_from, superlative_answer
from agents.models.offline.text import (
    ACKNOWLEDGEMENTS,
    ADVICE_TERMS,
    FAREWELL,
    GREETING,
    PRICE_TERM,
    QUESTION_WORDS,
    REQUEST_TERMS,
    entity_spans,
    is_code,
    stem,
    text_terms,
    without_spans,
    word_set,
    words,
)

MIN_COVERAGE = 0.2  # an ask is routed when the tools' words cover more of it ("pizza place nearby" is not)
HANDOFF_DISCOUNT = 0.5  # a specialist's handoff description is written for routing, so its words count half
CLOSE_SCORE = 0.25  # tools scoring this share of the best compete on whether they can be called


@dataclass(frozen=True)
class Say:
    """Answer in text."""

    text: str


@dataclass(frozen=True)
class Call:
    """Call one tool."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # what the model says before the call (its answer to the part it handles)


Decision = Say | Call


_ACK_TERMS = frozenset(stem(w) for w in ACKNOWLEDGEMENTS)
_QUESTION_TERMS = frozenset(stem(w) for w in QUESTION_WORDS)
_SMALL_TALK = frozenset({GREETING, FAREWELL})
_GENERIC_TERMS = frozenset(stem(w) for w in GENERIC_WORDS) - _SMALL_TALK


def _content_terms(ask: str, profiles: Sequence[ToolProfile] = ()) -> set[str]:
    """The ask's topic terms: no stopwords, question words, acknowledgements, describing words no tool
    knows ("right now"), names or numbers."""
    known = vocabulary(tuple(profiles))
    found = set(topic_terms(ask, profiles)) - _ACK_TERMS - _QUESTION_TERMS
    return found - (_GENERIC_TERMS - known)


_REFUSAL = re.compile(
    r"^\W*(?:(?:hmm+|ah|oh|well|actually|wait)\W+)*(?:no|nope|nah|don'?t|never ?mind|leave it|keep it)\b"
    r"[\s\w,.!']{0,30}$",
    re.IGNORECASE,
)


def _is_refusal(ask: str) -> bool:
    """A plain "no" to what was proposed ("no, leave it", "actually no, keep it")."""
    return bool(_REFUSAL.match(ask)) and not any(is_code(w.text) for w in words(ask))


# What thanks are for, up to the end of its clause ("thx for being honest", "thanks for checking!").
_THANKS_FOR = re.compile(r"\b(?:thanks|thank you|thx|ty)\s+for\b[^.,;:!?]*", re.IGNORECASE)


def _is_acknowledgement(ask: str) -> bool:
    """Thanks (whatever they are for), an "ok" or a goodbye and nothing else ("perfect, thx so much. have a
    good one!"). A phrase meaning more than a goodbye is something asked ("ok and when should it show up")."""
    if _is_refusal(ask):
        return True
    ask = _THANKS_FOR.sub("thanks", ask)
    if any(text_terms(plain).keys() - {FAREWELL} for plain, _ in phrase_spans(ask)):
        return False
    ws = [w.lower for w in words(without_fixed_phrases(ask)) if not w.is_filler]
    return bool(ws or _is_farewell(ask)) and all(w in ACKNOWLEDGEMENTS or stem(w) == FAREWELL for w in ws)


def _is_farewell(ask: str) -> bool:
    """The ask says goodbye ("bye", "have a good one")."""
    return FAREWELL in text_terms(ask) or FAREWELL in synonym_terms(ask, interests=False)


def _offered(options: Mapping[str, Any]) -> tuple[list[ToolProfile], bool]:
    """The tools the model may call under `tool_choice`, and whether it may call any at all."""
    choice = options.get("tool_choice") or "auto"
    mode = choice if isinstance(choice, str) else choice.get("mode", "auto")
    # Handoff tools in name order: the mesh offers them in no fixed order, and ties go to the first.
    profiles = profiles_of(options.get("tools") or ())
    profiles = [p for p in profiles if not p.is_handoff] + sorted(
        (p for p in profiles if p.is_handoff), key=lambda p: p.name
    )
    if not isinstance(choice, str):
        if allowed := choice.get("allowed_tools"):
            profiles = [p for p in profiles if p.name in allowed]
        if required := choice.get("required_function_name"):
            profiles = [p for p in profiles if p.name == required]
    return profiles, mode != "none"


def decide(messages: Sequence[Message], options: Mapping[str, Any]) -> Decision:
    """What a tool-using model would do next with these messages and options."""
    convo = Conversation(messages)
    profiles, may_call = _offered(options)
    if steps := convo.turn_steps(excluding=is_handoff):
        return _after_calls(convo, options, profiles, steps)
    # A handoff that came back in this turn is not tried again (no ping-pong).
    offered = profiles
    profiles = [p for p in profiles if p.name not in convo.turn_calls()]
    ask = without_pleasantries(convo.ask, vocabulary(tuple(profiles)))
    if _is_acknowledgement(ask):
        if _is_farewell(ask):  # the desk whose description says it answers goodbyes closes the conversation
            farewell = [p for p in profiles if p.is_handoff and FAREWELL in p.weights]
            return Call(farewell[0].name) if farewell else Say(compose.greeting([], farewell=True))
        declined = _is_refusal(ask)
        return Say(compose.acknowledgement(declined=declined, subject=convo.last_code() if declined else None))
    # "which one is cheapest?" is about the list shown; "the cheapest way to ship the kettle" names what it asks about.
    names_kind = any(is_product_kind(w.text) for w in words(ask))
    if not names_kind and (answer := superlative_answer(convo)) is not None:
        return Say(answer)
    if not may_call or not profiles:
        return Say(compose.greeting([p.summary for p in profiles]))
    # A bare follow-up ("and ORD-1002?") is about what the previous ask was about.
    topic = ask if _content_terms(ask, profiles) else f"{convo.previous_ask}\n{ask}"
    scores = score_tools(topic, profiles)
    handoff = best([s for s in scores if s.profile.is_handoff])
    domain_scores = [s for s in scores if not s.profile.is_handoff]
    if not domain_scores and (question := convo.closing_question) is not None:
        # Choosing a desk, the question asked decides over the scene set before it, when it speaks for one.
        asked = best([s for s in score_tools(question, profiles) if s.profile.is_handoff])
        handoff = asked if asked is not None and asked.value > 0 else handoff
    if not domain_scores and convo.turn_answered():
        handoff = _rest_of_ask(convo, offered) or handoff
    if not domain_scores and (handoff is None or handoff.value <= 0) and _about_one(ask):
        topic = f"{topic}\n{ABOUT_ONE_MEANING}"  # "can the skillet go in the oven?" asks about the product
        handoff = best(score_tools(topic, profiles))
    if not domain_scores:
        if handoff is not None and handoff.value > 0 and _about_the_store(topic, profiles):
            return Call(handoff.profile.name)
        return Say(_small_talk(ask, [p.summary for p in profiles]))
    instructions = str(options.get("instructions") or "")
    domain = [s.profile for s in domain_scores]
    # Once another desk answered part of the ask, this one answers the question that is its own.
    own = _own_question(convo, domain, instructions) if convo.turn_answered() else None
    if (
        own is None
        and handoff is not None
        and handoff.value * HANDOFF_DISCOUNT > max(0.0, *(s.value for s in domain_scores))
        and not (by_examples_only(topic, handoff.profile, profiles) and _searching(domain))
    ):  # a search here takes an ask that shares only an example's word with the hand-back ("my desk chair")
        return Call(handoff.profile.name)
    choice = own or _choose(convo, ask, domain_scores, instructions)
    if choice is None and not convo.turn_answered():
        choice = _own_question(convo, domain, instructions)
    if choice is None:
        content = _content_terms(ask, profiles)
        asks_unknown = _unknown_meaning(ask, content, domain)  # "and whats the price of it" at the stock desk
        if handoff is not None and (content or entity_spans(ask) or asks_unknown):
            return Call(handoff.profile.name)
        summaries = [s.profile.summary for s in domain_scores]
        if content - _SMALL_TALK or entity_spans(ask):
            return Say(compose.outside(summaries))
        return Say(_small_talk(ask, summaries))
    chosen, extraction = choice
    if plan := _clause_plan(convo, domain_scores, str(options.get("instructions") or "")):
        return Call(plan[0][0].name, plan[0][1].arguments)
    if extraction.missing:
        domain = [s.profile for s in domain_scores]
        if lookup := _lookup_for(extraction.missing, domain):
            return Call(lookup.name, {})
        return Say(compose.clarification(extraction.missing))
    return Call(chosen.name, extraction.arguments)


def _retry_as_topic(convo: Conversation, profile: ToolProfile, steps: Sequence[Step]) -> dict[str, Any] | None:
    """Arguments for calling the tool again about the thing spoken of before, when a word of the ask it
    took for a name names nothing ("what do reviews say about the battery" after the earbuds were
    shown); the word goes to a topic parameter, if the tool has one. None when it offered suggestions,
    the word is a name the shopper wrote, or nothing was spoken of before."""
    last = steps[-1]
    data = compose.parse_result(last.result)
    if len(steps) > 1 or not isinstance(data, dict) or data.get("suggestions"):
        return None
    query = data.get("query")
    if not isinstance(query, str) or entity_spans(query) or any(is_product_kind(w.text) for w in words(query)):
        return None  # "the Sony", "the wireless headphones": a product the store may not carry
    param = next((q for q in profile.params if last.arguments.get(q.name) == query), None)
    if param is None or not (earlier := resolve(param, "it", convo.earlier())):
        return None
    topic = next((q for q in profile.params if q.is_search_text and q.name not in last.arguments), None)
    return {**last.arguments, param.name: earlier[0]} | ({topic.name: query} if topic else {})


def _lookup_for(missing: Sequence[ParamSpec], domain: Sequence[ToolProfile]) -> ToolProfile | None:
    """The one listing tool that can find the missing identifier (None when more is missing)."""
    tools = {lookup_tool(p, domain) for p in missing}
    return next(iter(tools)) if len(tools) == 1 and None not in tools else None


def _after_calls(
    convo: Conversation, options: Mapping[str, Any], profiles: Sequence[ToolProfile], steps: Sequence[Step]
) -> Decision:
    """After this turn's calls: search again with fewer words, call the tool a listing found the value
    for, or answer from the last result."""
    last = steps[-1]
    domain = [p for p in profiles if not p.is_handoff]
    called = next((p for p in domain if p.name == last.name), None)
    if (several := several_found(domain, steps) or search_for_several(domain, steps)) is not None:
        return Call(*several)  # "compare the two smartwatches": the smartwatches found, compared
    if called is not None:
        again = retry_query(called, steps, convo.ask) or retry_family(called, steps)
        if again is None and (search := search_for_need(convo.ask, domain, steps)) is not None:
            return Call(*search)
        again = (
            again or retry_suggestion(steps) or retry_without(called, steps) or _retry_as_topic(convo, called, steps)
        )
        if again is not None:
            return Call(called.name, again)
    scores = score_tools(convo.ask, domain)
    instructions = str(options.get("instructions") or "")
    if called is not None and (each := _next_referent(convo, called, steps)) is not None:
        return Call(called.name, each)
    if plan := _clause_plan(convo, scores, instructions):
        called_names = {s.name for s in steps}
        for profile, extraction in plan:
            if profile.name not in called_names:
                return Call(profile.name, extraction.arguments)
        results = {s.name: s.result for s in steps}
        return _answer(convo, profiles, options, [results[p.name] for p, _ in plan])
    if (named_each := _each_named(convo, domain, steps, instructions)) is not None:
        return named_each if isinstance(named_each, Call) else _answer(convo, profiles, options, named_each)
    choice = _choose(convo, convo.ask, scores, instructions) if scores else None
    if choice is not None and choice[0].name not in {s.name for s in steps} and choice[1].missing:
        chosen, extraction = choice
        lookup = _lookup_for(extraction.missing, domain)
        if lookup is not None and lookup.name == last.name:
            param = extraction.missing[0]
            named = leftover_words(convo.ask, domain)
            found = pick_identifier(param, last, named) if named else None
            if found is None and _LATEST.search(convo.ask) and _NEWEST_FIRST.search(lookup.description):
                found = pick_identifier(param, last, [])  # "my last order": the first of a newest-first list
            if found is not None:
                return Call(chosen.name, {**extraction.arguments, param.name: found})
    if called is not None and len(steps) == 1 and (about := _about_picked(convo, domain, scores, last)):
        return about
    asked = [s for s in steps if s.name == last.name and not failed(s)]  # not a call that failed
    # "ppl keep saying they can barely see me": "they" are the people, no things spoken of to answer each of
    if len(asked) > 1 and asks_each(without_spans(convo.ask, said_of_shopper_spans(convo.ask))):
        return _answer(convo, profiles, options, [s.result for s in asked])
    answered = answered_step(steps)
    tool = next((p for p in domain if p.name == answered.name), None)
    result = answered.result if tool is None else narrowed(convo.ask, tool, answered.result)
    if refers_to_others(convo.ask):
        result = others_only(result, convo.last_value)
    return _answer(convo, profiles, options, [result])


_PRICE_MEANING = frozenset(synonym_terms("how much does it cost", interests=False)) | text_terms("price cost").keys()
_CHOOSES = re.compile(r"\b(?:best|cheapest|lowest)\s+(?:\w+\s+)?(\w+)", re.IGNORECASE)  # "the best single coupon"
_ALONE = re.compile(r"\b(?:just|only)\b", re.IGNORECASE)


def _weighs_given(profile: ToolProfile, ask: str, scores: Sequence[Score], identified: Collection[str]) -> bool:
    """The tool the ask, its identifier left out, speaks of more than of the one taking it (of those named
    `identified`, or given an identifier written out) chooses the best of things of that identifier's kind
    ("the best price ..., AUDIO25 or whatever's better": the best price tries every coupon), so it does not
    ignore the one given; not for that one alone ("if I just used X")."""
    if _ALONE.search(ask):
        return False
    # The identifier given speaks for the tool that takes it, and says nothing of whether the ask wants the best
    # of its kind: the rest of the ask decides ("does TRAIL20 work on top of that": combined with the bundle).
    codes = [w for w in words(ask) if any(holds_identifier(s.profile, w.text) for s in scores)]
    rest = without_spans(ask, [(w.start, w.end) for w in codes])
    # Asking what a thing costs with the code ("how much would the monitor be w/ GOLDVIP15") asks for the code's
    # price, not the best one: the rest must speak of the tool in more than a price's everyday words.
    if not (set(topic_terms(rest, [profile])) & profile.weights.keys()) - _PRICE_MEANING:
        return False
    value = {s.profile.name: s.value for s in score_tools(rest, [s.profile for s in scores])}
    said = {stem(m.group(1).lower()) for m in _CHOOSES.finditer(profile.description)}
    kinds = {
        stem(m.group(1).lower())
        for other in (s.profile for s in scores)
        if other is not profile
        and (other.name in identified or holds_identifier(other, ask))
        and value[other.name] < value[profile.name]
        for q in other.params
        if q.strict and not q.enum
        for m in IDENTIFIED.finditer(q.description)
    }
    return bool(kinds & said)


def _about_picked(
    convo: Conversation, domain: Sequence[ToolProfile], scores: Sequence[Score], listing: Step
) -> Call | None:
    """After a listing the ask's own words narrow to one record ("what did I order on tuesday?": the order
    of that weekday), a call of the tool about one such record that the ask speaks of most (None when the
    words pick none, or several, or no tool about one scores)."""
    named = leftover_words(convo.ask, domain)
    if not named:
        return None
    best: tuple[float, ToolProfile, ParamSpec] | None = None
    for score in scores:
        required = [q for q in score.profile.params if q.required]
        if score.profile.name == listing.name or len(required) != 1 or score.value <= 0:
            continue
        lookup = lookup_tool(required[0], domain)
        lists = (lookup is not None and lookup.name == listing.name) or lists_values_of(required[0], listing, convo.ask)
        if lists and (best is None or score.value > best[0]):
            best = (score.value, score.profile, required[0])
    if best is None or (found := pick_identifier(best[2], listing, named, only=True)) is None:
        return None
    return Call(best[1].name, {best[2].name: found})


def _next_referent(convo: Conversation, profile: ToolProfile, steps: Sequence[Step]) -> dict[str, Any] | None:
    """For an ask about each of several things spoken of ("what's in both of them?") answered by a tool
    about one, the arguments of its call for the next of them not asked yet (None when all are)."""
    if not asks_each(convo.ask):
        return None
    param = next((q for q in profile.params if q.required and q.kind == "string" and q.shape is not None), None)
    if param is None or len([q for q in profile.params if q.required]) > 1:
        return None
    done = {str(s.arguments.get(param.name)) for s in steps if s.name == profile.name}
    if not done:
        return None
    left = [v for v in resolve(param, convo.ask, convo.earlier()) if v not in done]
    return {**steps[-1].arguments, param.name: left[0]} if left else None


def _answer(
    convo: Conversation, profiles: Sequence[ToolProfile], options: Mapping[str, Any], results: Sequence[Any]
) -> Decision:
    """The answer from this turn's results; when the ask also holds a question another specialist
    answers ("... and is it any good?") and nobody has answered in this turn yet, the answer followed by
    a hand-back, so the agent the conversation goes back to routes the rest."""
    text = compose.answer_from_results(results, _asked_terms(convo.ask))
    if picked := picked_from(convo.ask, results):  # "the lightest tent": the one asked for, then the listing
        text = f"{picked} {text}"
    elif measured := measured_answer(convo.ask, results):  # "a tent for 4 people": the ones that are
        text = f"{measured} {text}"
    handoffs = [p for p in profiles if p.is_handoff and p.name not in convo.turn_calls()]
    if len(handoffs) != 1 or convo.turn_answered():
        return Say(text)
    domain = [p for p in profiles if not p.is_handoff]
    if not _holds_foreign_question(convo, domain, str(options.get("instructions") or ""), results):
        return Say(text)
    return Call(handoffs[0].name, text=text)


def _asked_terms(ask: str) -> tuple[frozenset[str], frozenset[str]]:
    """The terms of what an ask asks for: its words, and their everyday meanings ("how much": price)."""
    own = frozenset(stem(w.lower) for w in words(ask) if not (w.is_filler or w.is_code or w.lower in GENERIC_WORDS))
    return own, own | synonym_terms(ask, interests=False).keys()


def _rest_of_ask(convo: Conversation, offered: Sequence[ToolProfile]) -> Score | None:
    """After a specialist answered part of an ask and handed back: the handoff not used in this turn that
    best fits one of the ask's questions on its own, leaving out the questions whose best fit is a
    handoff this turn already made (the whole ask also speaks of what was answered)."""
    used = set(convo.turn_calls())
    found = []
    for clause, _ in _questions(convo):
        if _tells(clause, convo.ask):
            continue
        scores = score_tools(clause, offered)
        top = best(scores)
        if top is not None and top.profile.name not in used:
            found.append(best([s for s in scores if s.profile.name not in used]))
    return best([s for s in found if s is not None and s.value > 0])


# A clause in the order of a statement: a subject, then its verb ("its supposed to go to italy", "my order is late"),
# what the shopper saw or heard ("seen mixed stuff online"), or how a thing seems ("reviews seem kinda mixed").
_ASKING = "|".join(sorted(QUESTION_WORDS | word_set("is are was were do does did can could will would should")))
_STATEMENT = re.compile(
    r"^(?:(?:it|its|it's|this|that|that's|thats|i|i'm|im|we|my\s+\w+(?:\s+\w+)?)\s+"
    r"(?:is|was|were|am|are|s|supposed|should|has|had|got|ordered|bought)"
    r"|(?:(?:i|i've|ive|i have)\s+)?(?:seen|seeing|heard|hearing|read)"
    rf"|(?!(?:{_ASKING})\b)[\w']+(?:\s+[\w']+)?\s+(?:seem|seems|seemed|look|looks|looked|sound|sounds|sounded))\b",
    re.IGNORECASE,
)


def _tells(clause: str, ask: str) -> bool:
    """The clause of `ask` states something rather than asks it: a statement's order of words and no
    question mark after it ("... stuck in denver?? its supposed to go to italy" asks one thing)."""
    at = ask.find(clause)
    after = ask[at + len(clause) :].lstrip() if at >= 0 else ""
    return bool(_STATEMENT.match(clause)) and not after.startswith("?")


def _holds_foreign_question(
    convo: Conversation, domain: Sequence[ToolProfile], instructions: str, results: Sequence[Any] = ()
) -> bool:
    """Whether one of the ask's questions is outside these tools (their owner would hand it back); a
    question a field of this turn's `results` answers is not ("... and how much is it?" after a shipping
    estimate with its costs)."""
    for clause, reading in _questions(convo):
        if _tells(clause, convo.ask):
            continue
        said = {stem(w.lower) for w in words(clause) if len(w.text) > 3}  # "people" too, though a stopword
        if compose.states_field(results, _asked_terms(clause)[1] | said):
            continue
        # Words every desk uses ("how much": price) still say whose question it is when one disowns them.
        asked = set(topic_terms(clause, domain)) - _ACK_TERMS - _QUESTION_TERMS
        scores = score_tools(clause, domain)
        foreign = _foreign_terms(asked, domain, instructions, clause) or _foreign_code(clause, domain, instructions)
        if foreign and _choose(reading, clause, scores, instructions) is None:
            return True
        if _unknown_meaning(clause, asked, domain):
            return True
    return False


def _unknown_meaning(clause: str, asked: set[str], domain: Sequence[ToolProfile]) -> bool:
    """The clause asks for something by everyday words ("how much": a price) that no tool here knows, and
    no other word of it is known here either."""
    known = vocabulary(tuple(domain))
    meant = set(synonym_terms(clause, interests=False)) | (text_terms(clause).keys() & {PRICE_TERM})
    return bool(meant) and not meant & known and not asked & known


def _foreign_code(clause: str, domain: Sequence[ToolProfile], instructions: str) -> bool:
    """The clause names an identifier no tool here takes, of a kind the instructions disown ("where is
    ORD-1001" at the stock desk: ORD- is an order's), or a code made as codes are where they disown codes."""
    disowned = disowned_words(instructions)
    kinds = {w.text: w.text.split("-")[0].lower() for w in words(clause) if is_code(w.text)}
    return any(
        not any(holds_value(p, code, strict=True) for p in domain)
        and (
            (len(kind) > 2 and any(term.startswith(kind) for term in disowned))
            or (_CODE_WORD.match(code) is not None and _CODE_TERM in disowned)  # "does DESK50 work on it?"
        )
        for code, kind in kinds.items()
    )


# A code made of a word and a number ("DESK50", "TRAIL20"), as coupon codes are, not a model ("S3", "VB-900").
_CODE_WORD = re.compile(r"^[A-Za-z]{3,}\d{2,}$")
_CODE_TERM = stem("code")


def _own_question(
    convo: Conversation, domain: Sequence[ToolProfile], instructions: str
) -> tuple[ToolProfile, Extraction] | None:
    """For an ask of several questions that is not these tools' business as a whole, the tool (and
    arguments) for the first question that is ("is it in stock and is it any good?" at the stock desk)."""
    for clause, reading in _questions(convo):
        scores = score_tools(clause, domain)
        top = best(scores)
        if top is not None and top.value > 0 and (choice := _choose(reading, clause, scores, instructions)):
            return choice
    return None


def _questions(convo: Conversation) -> list[tuple[str, Conversation]]:
    """For an ask of several questions, each one with the conversation read as if it were asked after
    the ones before it and what this turn answered so far, so "it" in the second is what the first named
    or its answer gave ("the AeroBrew Espresso Machine (KIT-200) is out of stock") ([] for an ask of one
    question)."""
    clauses = _clauses(convo.ask)
    if len(clauses) < 2:
        return []
    before = list(convo.messages[: max(convo.last_user, 0)])
    answered = [m for m in convo.messages[convo.last_user + 1 :] if m.role == "assistant" and m.text.strip()]
    asked = [Message("user", [c]) for c in clauses]
    return [(c, Conversation([*before, *asked[:i], *answered, asked[i]])) for i, c in enumerate(clauses)]


def _clauses(ask: str) -> list[str]:
    """The questions of an ask ("is it in stock and is it any good?" is two, and so is "the price and
    rating of the headlamp": the price of the headlamp, its rating)."""
    found = [c for c in (c.strip(" ?.!") for c in _CLAUSE_BREAK.split(ask)) if c]
    return [part for clause in found for part in _shared_object(clause)]


_TWO_TOPICS = re.compile(
    r"^(?P<before>.*?)\b(?P<first>[A-Za-z]+)\s+and\s+(?P<second>[A-Za-z]+(?:\s+[A-Za-z]+)?)"
    r"\s+(?P<rest>(?:of|for|on|about)\s+\S.*)$",
    re.IGNORECASE,
)


def _shared_object(clause: str) -> list[str]:
    """ "the price and rating of the headlamp" -> "the price of the headlamp", "rating of the headlamp"."""
    m = _TWO_TOPICS.match(clause)
    if m is None or any(w.is_filler for w in words(f"{m['first']} {m['second']}")):
        return [clause]
    return [f"{m['before']}{m['first']} {m['rest']}", f"{m['second']} {m['rest']}"]


_CLAUSE_BREAK = re.compile(
    r"\?\s+(?=\S)|[,;]?\s+(?:and|also|plus)\s+(?=(?:what|whats|what's|where|wheres|when|how|hows|is|are|was|were|"
    r"does|do|did|can|could|will|which|who|whos|tell|show)\b)",
    re.IGNORECASE,
)


def _clause_plan(
    convo: Conversation, scores: Sequence[Score], instructions: str
) -> list[tuple[ToolProfile, Extraction]] | None:
    """For an ask of several questions ("where is ORD-1011 and what was in it?") that different tools
    answer, one call per question, in the order asked; None for an ask of one question. Each question
    is read after the ones before it and their calls, so "it" in the second is what the first named; an
    identifier a question lacks is taken from this turn's calls, so the order a listing found ("my last
    order") serves every question."""
    clauses = _clauses(convo.ask)
    if len(clauses) < 2:
        return None
    domain = [s.profile for s in scores]
    before = list(convo.messages[: max(convo.last_user, 0)])
    made = [(s.name, s.arguments) for s in convo.turn_steps(excluding=is_handoff) if s.arguments]
    plan: list[tuple[ToolProfile, Extraction]] = []
    for i, clause in enumerate(clauses):
        if _tells(clause, convo.ask):
            continue  # "is the smart ring r1 worth it? seen mixed stuff online": one question
        asked = [Message("user", [c]) for c in clauses[:i]]
        planned = [
            Message("assistant", [Content.from_function_call(f"plan_{n}", p.name, arguments=e.arguments)])
            for n, (p, e) in enumerate(plan)
        ]
        reading = Conversation([*before, *asked, *planned, Message("user", [clause])])
        clause_scores = score_tools(clause, domain)
        top = best(clause_scores)
        choice = _choose(reading, clause, clause_scores, instructions) if top and top.value > 0 else None
        if choice is not None and choice[1].missing:
            choice = (choice[0], _filled(choice[1], made))
        if choice is None or choice[1].missing or any(p.name == choice[0].name for p, _ in plan):
            continue
        plan.append(choice)
    return plan if len(plan) > 1 else None


def _each_named(
    convo: Conversation, domain: Sequence[ToolProfile], steps: Sequence[Step], instructions: str
) -> Call | list[Any] | None:
    """For an ask of several questions each naming another of the records this turn's listing found ("did my
    trail runners ship yet? also is the sleeping bag order moving"), the call for the next question not asked
    yet, then the results of them all; None unless two questions name two different records."""
    clauses = _clauses(convo.ask)
    if len(clauses) < 2:
        return None
    calls: list[tuple[str, dict[str, Any]]] = []
    for clause in clauses:
        choice = _choose(convo, clause, score_tools(clause, domain), instructions)
        lookup = _lookup_for(choice[1].missing, domain) if choice is not None and choice[1].missing else None
        listing = next((s for s in steps if lookup is not None and s.name == lookup.name), None)
        if choice is None or listing is None or len(choice[1].missing) != 1:
            continue
        param = choice[1].missing[0]
        found = pick_identifier(param, listing, leftover_words(clause, domain), only=True)
        if found is not None and all(found != a.get(param.name) for _, a in calls):
            calls.append((choice[0].name, {**choice[1].arguments, param.name: found}))
    if len(calls) < 2:
        return None
    made = [(s.name, s.arguments) for s in steps]
    for name, arguments in calls:
        if (name, arguments) not in made:
            return Call(name, arguments)
    return [next(s.result for s in steps if (s.name, s.arguments) == call) for call in calls]


def _filled(extraction: Extraction, made: Sequence[tuple[str, dict[str, Any]]]) -> Extraction:
    """The extraction with its missing values taken from this turn's calls, newest first (the order a
    listing found for "my last order")."""
    arguments, missing = dict(extraction.arguments), []
    for param in extraction.missing:
        value = next((a[param.name] for _, a in reversed(made) if a.get(param.name) not in (None, "", [])), None)
        if value is None:
            missing.append(param)
        else:
            arguments[param.name] = value
    return Extraction(arguments, missing, extraction.carried)


def _about_the_store(ask: str, profiles: Sequence[ToolProfile]) -> bool:
    """Whether the offered tools' words cover enough of the ask (an identifier always counts)."""
    if any(is_code(w.text) for w in words(ask)):
        return True
    return coverage(ask, profiles) > MIN_COVERAGE


def _arguments(convo: Conversation, ask: str, profile: ToolProfile) -> Extraction:
    extraction = extract_arguments(profile, ask, convo.earlier())
    for param in profile.params:  # what this ask is about beats a value carried over from earlier turns
        if not _names_a_value(param, ask) and (value := _described_choice(param, ask)):
            extraction.arguments[param.name] = value
            extraction.missing = [p for p in extraction.missing if p is not param]
    _keep_choices(convo, ask, profile, extraction)
    _keep_cart(convo, ask, profile, extraction)
    return extraction


def _keep_choices(convo: Conversation, ask: str, profile: ToolProfile, extraction: Extraction) -> None:
    """A follow-up asking the same tool again ("and the cheapest way?") keeps the choices of the call it
    follows (a region) that it does not change."""
    previous = convo.last_call({profile.name})
    if previous is None or previous[0] != convo.last_called(set(_all_calls(convo))):
        return
    if not (FOLLOW_UP.match(ask) or points_back(ask)):
        return
    for param in profile.params:
        value = previous[1].get(param.name)
        if param.enum and param.name not in extraction.arguments and value not in (None, "", []):
            extraction.arguments[param.name] = value


def _keep_cart(convo: Conversation, ask: str, profile: ToolProfile, extraction: Extraction) -> None:
    """A follow-up ("and if I just used AUDIO25?") asks of the products the turn before asked about: an
    optional list of them left empty takes the newest earlier call's list of the same name. An ask adding to
    them ("and if i add the mesh chair, whats the best price") asks of that list and the ones it names."""
    follow_up, adding = bool(FOLLOW_UP.match(ask)), bool(_ADDING.search(ask))
    for param in profile.params:
        if param.kind != "array":
            continue
        value = convo.last_value(param.name)
        given = extraction.arguments.get(param.name)
        if value is None and adding and isinstance(given, list) and not points_back(ask):
            value = resolve(param, "it", convo.earlier())[:1] or None  # added to the one thing spoken of
        if value is None:
            continue
        if follow_up and not param.required and given is None:
            extraction.arguments[param.name] = value
        elif adding and isinstance(given, list) and param.name not in extraction.carried:
            extraction.arguments[param.name] = list(dict.fromkeys([*value, *given]))


_ADDING = re.compile(r"\b(?:add|adding|added|plus|throw in|throwing in)\b", re.IGNORECASE)


def _all_calls(convo: Conversation) -> list[str]:
    return [c.name or "" for m in convo.messages for c in m.contents if c.type == "function_call"]


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


def _choose(
    convo: Conversation, ask: str, scores: list[Score], instructions: str
) -> tuple[ToolProfile, Extraction] | None:
    """The domain tool for this ask with its arguments, or None when the ask belongs to someone else.

    An ask whose words are another specialist's business more than this one's is someone else's. An ask
    whose words no tool knows stays here when it names an identifier or enum value a tool takes ("is
    ORD-1002 late?"), points back or follows up ("does it have a frother?", "what about the headlamp?"),
    going to the tool used last, or when a search tool can take the words ("show me tents"). Otherwise
    the best-scoring tools compete: one whose required values the conversation gives beats one that
    would have to ask, and the tool used last breaks a tie.
    """
    domain = [s.profile for s in scores]
    last = convo.last_called({p.name for p in domain})
    leftover = leftover_words(ask, domain)
    named = bool(leftover)
    names_thing = any(may_name_thing(w) for w in leftover) or bool(entity_spans(ask))
    weights = topic_terms(ask, domain)
    content = _content_terms(ask, domain)
    known = content & vocabulary(tuple(domain))
    foreign = _foreign_terms(content, domain, instructions, ask)
    if not known:  # "show me sleeping bags" at the reviews desk: only its asking verb says whose ask it is
        foreign |= content & disowned_terms(instructions) & REQUEST_TERMS
    if known <= ADVICE_TERMS:  # "recommend a tent" asks to find one; alternatives to a product are asked for so
        known = set()
    if FOLLOW_UP.match(ask) and last is not None:
        # "and if i throw in the camp stove duo too?": a word a description gives only as an example ("e.g. Camp
        # kit") says less of what a follow-up asks than the question it follows up
        known = {t for t in known if any(p.weights.get(t, 0.0) > ASIDE_WEIGHT for p in domain)}
    strict_value = any(holds_value(p, ask, strict=True) for p in domain)
    if not strict_value and _foreign_code(ask, domain, instructions):
        return None  # "what was in ORD-1022" at the pricing desk: ORD- is an order's, whatever words it shares
    hypothetical = [m.span() for m in _HYPOTHETICAL.finditer(ask)]  # "be delivered" there names no status
    if hypothetical and not any(holds_value(p, without_spans(ask, hypothetical), strict=True) for p in domain):
        # "how long would shipping take?", "can it be delivered faster if I order another one?": an option
        # not yet taken, so words this desk shares with the one it disowns them to are that desk's
        known -= {stem(m.group(1)) for m in _HYPOTHETICAL.finditer(ask) if m.group(1)}
        foreign |= known & disowned_terms(instructions)
        strict_value = False
    # An identifier settles whose ask it is; an enum value ("audio") is one word the tools know, as any other.
    named_id = any(holds_identifier(p, ask) for p in domain)
    if not named_id and _sends_elsewhere(ask, domain, instructions):
        return None  # "whats the cheapest way to ship the camp stove to germany" at the orders desk
    against = sum(weights[t] for t in foreign)  # a word in a sense disowned here is no evidence for this desk too
    if foreign and not named_id and against >= _known_weight(known - foreign, weights, ask, domain):
        return None
    if not known and not strict_value and _unknown_meaning(ask, content, domain):
        # "how heavy is it?" at the reviews desk, "whats the best price i can get" at the stock desk: what it asks
        # for (a weight, a price) is not known here
        return None
    if content and not known and not strict_value and _asks_of_thing(ask, instructions):
        return None  # "are they waterproof?", "whats the drop on them" at the orders desk: the thing's specifications
    if (
        content
        and not known - {_PRODUCT_TERM}  # "need a stove": a product, to find
        and not strict_value
        and _asks_for_kind(ask)
        and _PRODUCT_TERM in disowned_terms(instructions)
    ):
        return None  # "what other wearables do you have under 100" at the reviews desk: products to find
    if known and not strict_value and _price_in_another_sense(ask, known, domain):
        return None  # "what does it cost?" at the stock desk: a product's cost is a price, not a shipping cost
    if known and known <= DESCRIBING_TERMS and not strict_value and any(is_product_kind(w.text) for w in words(ask)):
        return None  # "whats your cheapest tent" at the stock desk: "cheapest" only describes the tent asked for
    ordered = sorted(scores, key=lambda s: (-s.value, s.profile.name != last))
    if content and not known:
        names = [ask[s:e] for s, e in entity_spans(ask)]
        unknown_code = any(
            is_code(name) and not _MEASURE.match(name) and not any(holds_value(p, name) for p in domain)
            for name in names
        )
        if strict := [p for p in domain if holds_value(p, ask, strict=True)]:
            candidates = strict
        elif unknown_code:
            return None
        elif _about_one(ask) and (one := [p for p in domain if _about_one_named(p)]):
            candidates = one  # "is the headlamp waterproof?", "is it wireless?": a question about one thing
        elif (previous := _used_before(convo, domain)) and (
            points_back(ask) or FOLLOW_UP.match(ask) or described_one(ask)
        ):
            # "and the sleeping bags?", "the coffee machine one" after an order was shown: about what the tool
            # the turns before used last is about (not the listing this turn made to find which one)
            candidates = [p for p in domain if p.name == previous]
            if points_back(ask) and not refers_to_many(ask) and not any(_about_one_named(p) for p in candidates):
                candidates = [p for p in domain if _about_one_named(p)] or candidates  # "the second one" of a list
        elif _POSSESSIVE.search(ask) and (owned := [s.profile for s in ordered if _finds_own(s.profile, domain)]):
            candidates = owned  # "where are my running shoes": one of the shopper's own records
        else:
            candidates = _searching(domain)
        candidates.sort(key=lambda p: p.name != last)
    else:
        top = ordered[0]
        if top.value > 0:
            floor = 0.0 if named else top.value * CLOSE_SCORE
            candidates = [s.profile for s in ordered if s.value > floor]
        else:
            candidates = [p for p in domain if holds_value(p, ask)] or _searching(domain) if content else []
            candidates.sort(key=lambda p: p.name != last)
    if not candidates:
        return None
    tried = [(p, _arguments(convo, ask, p)) for p in candidates]
    if not points_back(ask) and _names_none(*tried[0], ask) and (search := _searching(domain)):
        tried = [(p, _arguments(convo, ask, p)) for p in search]  # "which smartwatch lasts longest": a search finds it
    pricing_own = _prices_with_own_discount(ask, domain)
    if pricing_own is not None and all(p.name != pricing_own.name for p, _ in tried):
        tried.append((pricing_own, _arguments(convo, ask, pricing_own)))  # "after my silver discount?": priced
    if named:  # a thing named now ("my smartwatch") is not the order an earlier turn was about
        tried = [(p, _forget_carried(p, e, domain)) for p, e in tried]
    # "any code i can use on them": the tool choosing the best code for the things pointed back to
    choosing = {p.name for p, e in tried if points_back(ask) and _chooses_for_things(p, e, ask)}
    entity = bool(entity_spans(ask))

    refers = points_back(ask)
    # "my other orders" points back to several as "them" does; "what's in both of them" asks of each in turn.
    others = refers_to_others(ask) and any(_names_several(ask, p) for p in domain)
    many = (refers_to_many(ask) or others) and not asks_each(ask)

    identified = {p.name for p, e in tried if _identifies(p, e, ask)}
    gives_value = bool(identified)
    kind_named = any(is_product_kind(w) for w in leftover_words(ask, domain))

    weighed = any(_weighs_given(p, ask, scores, identified) for p, _ in tried if p.name not in identified)

    def fit(pair: tuple[ToolProfile, Extraction]) -> tuple[bool, bool, bool, bool, bool, bool, bool, bool, bool, bool]:
        """Can be called (or its identifier looked up) with as many items as it needs, takes the identifier
        the ask gives, for an ask applying the shopper's own discount to things ("w/ my gold discount on top
        whats the final price") is the tool pricing things with it (`_prices_with_own_discount`), for an ask
        after any or the best of a kind for things it points back to ("any code i can use on them") is a tool
        choosing the best of that kind for them (`_chooses_for_things`), takes the identifier
        the ask gives, has a place for what the ask names, takes a name as the thing it is about rather
        than as words to search for, for an ask pointing back, is about one thing ("that order") or, for a
        plural ("which of them"), is not; is not about one of what the ask names several of ("which
        of my orders"); and, when another tool weighs the identifier given with the rest ("does TRAIL20
        work on top of that": the best price combines it with the bundle), is that tool."""
        profile, extraction = pair
        stuck = bool(extraction.missing) and _lookup_for(extraction.missing, domain) is None
        few = any(q.min_items and len(extraction.arguments.get(q.name) or ()) < q.min_items for q in profile.params)
        ignores_value = (
            gives_value and profile.name not in identified and not _weighs_given(profile, ask, scores, identified)
        )
        takes_names = any(q.free_text for q in profile.params) or bool(extraction.missing)
        takes_names = takes_names or (kind_named and any(_takes_kinds(q) for q in profile.params))
        as_subject = any(
            q.name in extraction.arguments and not q.is_search_text and q.free_text for q in profile.params
        )
        about_one = any(q.required for q in profile.params)
        several = about_one and not gives_value and _names_several(ask, profile)
        unnamed = not refers and _names_none(profile, extraction, ask) and bool(searching)
        unpriced = pricing_own is not None and profile.name != pricing_own.name
        unchosen = bool(choosing) and profile.name not in choosing
        return (
            stuck,
            few,
            ignores_value,
            unpriced,
            unchosen,
            names_thing and not takes_names,
            entity and not as_subject,
            refers and about_one == many,
            several or unnamed,
            weighed and profile.name in identified,
        )

    searching = [p for p, _ in tried if any(q.is_search_text for q in p.params)]
    return min(tried, key=fit)


# What "my gold discount", "my perks" are to a store: the member's loyalty discount.
_OWN_DISCOUNT_MEANING = "member loyalty discount"


def _prices_with_own_discount(ask: str, domain: Sequence[ToolProfile]) -> ToolProfile | None:
    """For an ask applying the shopper's own discount to a price ("and after my silver discount?", "the lowest
    i'd pay for those 2 w/ my gold perks"), the tool taking a list of things whose words best fit a member's
    discount (the best price, which adds the signed-in shopper's loyalty discount to a cart), not one
    describing the discounts; None when the ask applies none or no such tool is offered."""
    spans = own_discount_spans(ask)
    takers = [p for p in domain if any(q.kind == "array" for q in p.params)]
    if not spans or not takers:
        return None
    meant = " ".join([*(ask[start:end] for start, end in spans), _OWN_DISCOUNT_MEANING])
    top = best(score_tools(meant, takers))
    return top.profile if top is not None and top.value > 0 else None


def _chooses_for_things(profile: ToolProfile, extraction: Extraction, ask: str) -> bool:
    """Whether the tool takes a list of things the extraction gives and its description says it chooses the
    best of a kind the ask asks for ("any code i can use on them": the best price tries "the best single
    coupon" for a cart), rather than listing every one of that kind."""
    if not any(q.kind == "array" and extraction.arguments.get(q.name) for q in profile.params):
        return False
    said = {stem(m.group(1).lower()) for m in _CHOOSES.finditer(profile.description)} - {PRICE_TERM}
    asked = text_terms(ask).keys() | synonym_terms(ask, interests=False).keys()
    return bool(said & asked)


def _identifies(profile: ToolProfile, extraction: Extraction, ask: str) -> bool:
    """Whether the ask gives the tool an identifier it takes: written out ("TRAIL20", "order 1014"), or as the
    thing of that kind it points to ("that gold code": the code an earlier result named), as good as typed."""
    return holds_identifier(profile, ask) or any(
        q.name in extraction.arguments and q.name not in extraction.carried and kind_reference_span(q, ask) is not None
        for q in profile.params
    )


def _known_weight(known: set[str], weights: Mapping[str, float], ask: str, domain: Sequence[ToolProfile]) -> float:
    """The weight of the ask's words the tools know, an enum value and the field it fills counted as one word
    ("home office" and its category are one word of "a code for home office stuff")."""
    said = {stem(w.lower) for w in words(ask)}
    filled = {f for t in known for f in value_fields(tuple(domain)).get(t, ())} - said
    values = {frozenset(text_terms(re.sub(r"[-_]", " ", v))) for p in domain for q in p.params for v in q.enum}
    values = {v for v in values if len(v) > 1 and v <= known}
    # What one word of the ask means counts once: "cost" is a price, an amount and a total, not three words.
    meant = [frozenset(m & known) - said for m in word_meanings(ask).values()]
    values |= {m for m in meant if len(m) > 1}
    single = known - filled - set().union(*values)
    return sum(weights[t] for t in single) + sum(max(weights[t] for t in v) for v in values)


def _price_in_another_sense(ask: str, known: set[str], domain: Sequence[ToolProfile]) -> bool:
    """Whether all the ask says that these tools know is a word meaning a price ("cost") that they use only
    in a sense of their own (a shipping option's cost) and no tool here prices things: without a word of
    that sense beside it ("what does shipping cost"), the word asks for a price."""
    vocab = vocabulary(tuple(domain))
    if PRICE_TERM in vocab:
        return False
    meant = word_meanings(ask)
    priced = {term for term, meaning in meant.items() if PRICE_TERM in meaning and term in vocab}
    return bool(priced) and known <= priced.union(*(meant[t] for t in priced))


_CHOOSING = re.compile(r"^\W*(?:which|what)\b", re.IGNORECASE)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|your|my)\s+$", re.IGNORECASE)


def _names_none(profile: ToolProfile, extraction: Extraction, ask: str) -> bool:
    """The tool is about one thing by its identifier or name, and the ask names none: the words this ask gave
    for it are no name, follow no "the", and either name no kind of product ("a bday present for my dad, he's
    obsessed with pour over coffee" is a need to search for) or a kind the ask chooses among ("which noise
    cancelling headphones last the longest")."""
    if not _about_one_named(profile):
        return False
    param = next(q for q in profile.params if q.required)
    value = extraction.arguments.get(param.name)
    if param.shape is None or param.is_search_text or not isinstance(value, str) or param.name in extraction.carried:
        return False  # a kind of product ("headphones") or words to search for, not one thing's identifier or name
    if entity_spans(value):
        return False
    at = ask.lower().find(value.lower())
    if at < 0 or _DEFINITE.search(ask[:at]):
        return False
    return not any(is_product_kind(w.text) for w in words(value)) or bool(_CHOOSING.match(ask))


_CATEGORY_TERM = stem("category")
_PRODUCT_TERM = stem("product")
_ONE_OF = word_set("the my your this that its their our")


# A need for a thing: "need a stove for camping", "looking for a new pair of trail shoes".
_NEED = re.compile(r"\b(?:need|needs|want|wanna|looking for|shopping for)\s+((?:\S+\s*){1,4})", re.IGNORECASE)


_REGION_TERM = stem("region")
_SENDING = frozenset(stem(w) for w in ("ship", "delivery", "deliver"))


def _sends_elsewhere(ask: str, domain: Sequence[ToolProfile], instructions: str) -> bool:
    """The ask sends a thing somewhere ("ship the camp stove to germany") that no tool here takes as a value,
    and the instructions disown shipping to a region; the shopper's own things ("my order") aside."""
    going = destination_terms(ask)
    if not going or _REGION_TERM not in disowned_terms(instructions) or _POSSESSIVE.search(ask):
        return False
    if not _SENDING & (text_terms(ask).keys() | synonym_terms(ask, interests=False).keys()):
        return False  # "I'm going to Colorado": the shopper goes, nothing is sent
    return not any(going & set(p.enum) for tool in domain for p in tool.params)


def _asks_for_kind(ask: str) -> bool:
    """The ask, no follow-up, asks for things of a kind ("what other wearables do you have", "any tents"): a
    kind named in the plural, not as one thing ("the sleeping bags", "my tents"), or a need for one of a kind
    ("need a stove for camping")."""
    if FOLLOW_UP.match(ask):
        return False
    ws = words(ask)
    return any(
        w.lower.endswith("s") and is_product_kind(w.text) and (i == 0 or ws[i - 1].lower not in _ONE_OF)
        for i, w in enumerate(ws)
    ) or any(is_product_kind(w.text) for m in _NEED.finditer(ask) for w in words(m.group(1)))


# What a thing pointed back to has ("whats the drop on them", "what's the warranty of that one").
_PROPERTY_OF = re.compile(
    r"^\W*(?:what|whats|what's|what is|how)\s+(?:is\s+|are\s+)?(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+"
    r"(?:on|of|for|in)\s+(?:it|them|those|these|they|that|this)\b",
    re.IGNORECASE,
)
_SPECIFICATIONS_TERM = stem(ABOUT_ONE_MEANING)


def _asks_of_thing(ask: str, instructions: str) -> bool:
    """The ask asks about the thing spoken of in words none of these tools knows, by a yes/no question
    ("are they waterproof?") or a question for what it has ("whats the drop on them"), not by a follow-up or
    a description of one of several ("and the tent?", "the coffee machine one"): it asks for that thing's
    specifications, which the instructions say are another desk's."""
    if FOLLOW_UP.match(ask) or described_one(ask) or _SPECIFICATIONS_TERM not in disowned_terms(instructions):
        return False
    return _about_one(ask) and points_back(ask)


def _about_one(ask: str) -> bool:
    """A question about one thing: yes or no ("can the skillet go in the oven?") or for what the thing spoken
    of has ("whats the drop on them")."""
    return bool(ABOUT_ONE.search(ask) or _PROPERTY_OF.search(ask))


def _takes_kinds(param: ParamSpec) -> bool:
    """A choice of product categories: a place for a kind of product the ask names ("any code i can use on a
    rain jacket" asks of the deals for its category)."""
    return bool(param.enum) and _CATEGORY_TERM in param.terms


def _used_before(convo: Conversation, domain: Sequence[ToolProfile]) -> str | None:
    """The tool of `domain` the turns before this one called last."""
    return Conversation(convo.messages[: max(convo.last_user, 0)]).last_called({p.name for p in domain})


def _names_several(ask: str, profile: ToolProfile) -> bool:
    """Whether the ask names in the plural what one of the tool's required values identifies ("orders"
    for `order_id`)."""
    kinds = {part for q in profile.params if q.required for part in q.name.lower().split("_") if len(part) > 2}
    return any(w.lower.endswith("s") and w.lower[:-1] in kinds for w in words(ask))


def _foreign_terms(content: set[str], domain: Sequence[ToolProfile], instructions: str, ask: str) -> set[str]:
    """The terms of `content` that the instructions or the tools say are someone else's business and no
    tool here knows but as part of a compound ("ship" of the loyalty tiers' "free-shipping" threshold) ("if I buy
    ..." is not a request to find products), or knows only in another sense (`_disowned_senses`)."""
    known = content & set().union(*(p.core_terms for p in domain)) - _disowned_senses(ask, domain, instructions)
    disowned = disowned_terms(instructions) | set().union(*(p.negative for p in domain))
    return content & disowned - known - REQUEST_TERMS


def _disowned_senses(ask: str, domain: Sequence[ToolProfile], instructions: str) -> set[str]:
    """The terms of the words the ask writes as the instructions disown them and this desk writes only in
    other forms, which say another sense: "shipping" options at the orders desk, whose instructions disown
    "shipping to a region" and whose tools know an order "shipped"."""
    own, disowned = written_forms(instructions)
    written = own | tool_forms(tuple(domain))
    return {stem(w.lower) for w in words(ask) if w.lower in disowned and w.lower not in written}


def _forget_carried(profile: ToolProfile, extraction: Extraction, domain: Sequence[ToolProfile]) -> Extraction:
    """The extraction without identifiers carried over from earlier turns that a listing tool can find anew."""
    carried = [p for p in profile.params if p.name in extraction.carried and lookup_tool(p, domain) is not None]
    if not carried:
        return extraction
    kept = {k: v for k, v in extraction.arguments.items() if k not in {p.name for p in carried}}
    return Extraction(kept, [*extraction.missing, *carried])


def _searching(domain: Sequence[ToolProfile]) -> list[ToolProfile]:
    """The tools that take the shopper's words to search for or as they are."""
    return [p for p in domain if any(q.is_search_text or takes_whole_message(q) for q in p.params)]


def _about_one_named(profile: ToolProfile) -> bool:
    """Takes one thing by its name, and nothing else is required ("product")."""
    required = [q for q in profile.params if q.required]
    return len(required) == 1 and required[0].kind == "string" and required[0].free_text


_LATEST = re.compile(r"\b(?:last|latest|newest|most recent)\b", re.IGNORECASE)
_HYPOTHETICAL = re.compile(
    r"\bwould\b|\bif (?:i|we) (order|buy|get|purchase)\b"
    r"|\bcan (?:i|we|you) get (?:it|them|one)(?: (?:shipped|sent|delivered))?\b"
    r"|\bcan (?:it|they|the [\w-]+(?: [\w-]+)?) (?:be|get) (?:shipped|sent|delivered)\b",
    re.IGNORECASE,
)
_MEASURE = re.compile(r"^\d+(?:\.\d+)?[A-Za-z]{1,3}$")  # "45L", "5.5L": part of a name, no identifier
_NEWEST_FIRST = re.compile(r"\bnewest first\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\b(?:my|mine|i ordered|i bought)\b", re.IGNORECASE)


def _finds_own(profile: ToolProfile, domain: Sequence[ToolProfile]) -> bool:
    """Takes an identifier of something a listing tool can find (the shopper's orders)."""
    return any(p.required and lookup_tool(p, domain) is not None for p in profile.params)
