"""Arguments for a tool call, read from the ask (and earlier messages) by each parameter's JSON schema."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

from agents.models.offline.conversation import Evidence
from agents.models.offline.lexicon import (
    adding_spans,
    asked_kinds,
    goods_classes,
    is_generic,
    is_product_kind,
    keeping_spans,
    may_name_thing,
    phrase_spans,
    place_phrase_spans,
    related_words,
    said_of_shopper_spans,
    synonym_terms,
)
from agents.models.offline.measures import NOT_A_PRICE, age_spans, amount_spans
from agents.models.offline.profiles import ParamSpec, ToolProfile
from agents.models.offline.references import (
    REFERENCE_WORDS,
    UNITS_OF,
    counted_spans,
    described,
    describes_other,
    kind_reference_span,
    named_before,
    points_back,
    refers_to_others,
    resolve,
    with_kind,
)
from agents.models.offline.text import (
    ACKNOWLEDGEMENTS,
    COUNT_WORDS,
    MONEY,
    Word,
    entity_spans,
    is_code,
    is_entity_word,
    is_request_verb,
    stem,
    text_terms,
    without_spans,
    words,
)

Span = tuple[int, int]

# A bound on a price, not on a feature's amount ("under 2 kg" is a weight).
_NUM = r"\$?\s*(\d+(?:[.,]\d+)?)(?:\s*(?:dollars?|usd|bucks)\b)?" + NOT_A_PRICE
_UPPER = re.compile(
    r"\b(?:under|below|less than|cheaper than|up to|no more than|at most|max(?:imum)?|within|budget(?: of| is)?"
    r"|(?:nothing|not|no)\s+(?:over|above|more than))"
    rf"\s*{_NUM}|<=?\s*{_NUM}|{_NUM}\s*(?:max(?:imum)?|tops|or (?:less|under|below|cheaper)|at (?:the )?most)\b",
    re.IGNORECASE,
)
_LOWER = re.compile(
    rf"\b(?<!nothing )(?<!not )(?<!no )(?:over|above|more than|at least|min(?:imum)?|starting at|from)\s*{_NUM}"
    rf"|>=?\s*{_NUM}"
    rf"|{_NUM}\s*(?:or (?:more|above|over)|min(?:imum)?|at (?:the )?least)\b",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    rf"\bbetween\s*{_NUM}\s*(?:and|to|-)\s*{_NUM}|(?<![\w$-]){_NUM}\s*(?:to|-)\s*{_NUM}", re.IGNORECASE
)  # "between $50 and $100", "like 100 to 150"
_STARS = re.compile(r"\b(\d(?:\.\d)?)\s*(?:\+|stars?\b)", re.IGNORECASE)
_QUANTITY = re.compile(
    r"\b(\d+|" + "|".join(COUNT_WORDS) + r")\s*(?:x\b|of\b|units?\b|pcs\b|pieces?\b|items?\b)"
    r"|\b(?:qty|quantity|x)\s*:?\s*(\d+)\b|\b(?:top|first|best)\s+(\d+|" + "|".join(COUNT_WORDS) + r")\b",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bor\b|\bvs\.?|\bversus\b|\bwith\b|\bw/|\bw\b)\s*", re.IGNORECASE)
_BREAK = re.compile(r"[,;:!?()]")
_UPPER_HINTS = frozenset({"max", "maximum", "under", "below", "budget", "upper", "most"})
_LOWER_HINTS = frozenset({"min", "minimum", "over", "above", "lower", "least"})
_RATING_HINTS = frozenset({"rating", "stars", "star", "score"})
_AMOUNT_HINTS = frozenset({"price", "amount", "cost", "spend", "total"})
_VERBATIM_NAMES = frozenset({"message", "question", "request", "utterance"})  # the shopper's words, whole
_FROM_HINTS = frozenset({"from", "origin", "source", "start"})
_TO_HINTS = frozenset({"to", "destination", "dest", "target", "into"})
_END_NOUNS = frozenset({"origin", "source", "destination"})  # a description saying which end a value is
_WITHIN_HINTS = frozenset({"within", "inside"})


@dataclass
class Extraction:
    """Arguments found for a tool and the required parameters still without a value."""

    arguments: dict[str, Any] = field(default_factory=dict)
    missing: list[ParamSpec] = field(default_factory=list)
    carried: frozenset[str] = frozenset()  # parameters whose value an earlier turn gave, not this ask


@lru_cache(maxsize=1024)
def _enum_pattern(value: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in re.split(r"[^A-Za-z0-9]+", value) if p]
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\s_-]*".join(parts) + r"s?(?![A-Za-z0-9])", re.IGNORECASE)


_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\byet to)\s+(?:\w+\s+)?$", re.IGNORECASE)


# A value said as what the shopper did names no value ("how many orders have i placed", "the ones we returned").
_DONE_BY_SHOPPER = re.compile(r"\b(?:i|we|i've|we've|ive)\s+(?:(?:have|had|just|already|ever)\s+)?$", re.IGNORECASE)


def _enum_mentions(param: ParamSpec, text: str) -> list[tuple[str, Span, bool]]:
    """Enum values named in `text`, in order, each with whether it is negated ("haven't shipped")."""
    found = [
        (v, m.span(), bool(_NEGATED.search(text[: m.start()])))
        for v in param.enum
        for m in _enum_pattern(v).finditer(text)
        if not _DONE_BY_SHOPPER.search(text[: m.start()])
    ]
    found += [(value, span, False) for value, span in _enum_family(param, text)]
    return sorted(found, key=lambda f: f[1])


def _enum_family(param: ParamSpec, text: str) -> list[tuple[str, Span]]:
    """The first of several enum values that an upper-case word names as their common first part ("from the
    US": us-east, as good a US region as another), unless one of them is named in full."""
    found = []
    for head in dict.fromkeys(v.split("-")[0] for v in param.enum if "-" in v):
        family = [v for v in param.enum if v.startswith(f"{head}-")]
        if len(head) < 2 or len(family) < 2 or any(_enum_pattern(v).search(text) for v in family):
            continue
        found += [(family[0], m.span()) for m in re.finditer(rf"\b{re.escape(head.upper())}\b", text)]
    return found


def enum_mentions(param: ParamSpec, text: str) -> list[tuple[str, bool]]:
    """The enum values `text` names, each with whether it is negated ("which orders haven't shipped")."""
    return [(value, negated) for value, _, negated in _enum_mentions(param, text)]


def _enum_matches(param: ParamSpec, text: str) -> list[tuple[str, Span]]:
    """Enum values named in `text`, but not negated ones ("haven't shipped" names no status)."""
    return [(value, span) for value, span, negated in _enum_mentions(param, text) if not negated]


_ALTERNATIVES = re.compile(r"^\s*(?:,|/|or|and|and/or)\s*$", re.IGNORECASE)


def _alternatives(matches: Sequence[tuple[str, Span]], text: str) -> bool:
    """Two different values of one parameter joined by "or" / "and" ("still processing or placed"): the
    tool takes one, so neither is its value (the listing is narrowed to both afterwards)."""
    return any(a != b and _ALTERNATIVES.match(text[sa[1] : sb[0]]) for (a, sa), (b, sb) in pairwise(matches))


def _shape_matches(param: ParamSpec, text: str) -> list[tuple[str, Span]]:
    """Identifiers shaped like the parameter's example; for an identifier parameter, a bare number of the
    example's digits also counts ("order 1001" -> "ORD-1001" when the example is "ORD-1001")."""
    if param.shape is None:
        return []
    found = [(m.group().upper(), m.span()) for m in param.shape.finditer(text)]
    prefix = re.match(r"^([A-Za-z]+[-_ ]?)(\d+)$", param.example or "")
    if not found and prefix and param.strict:
        digits = len(prefix.group(2))
        bare = re.finditer(rf"(?<![\w.$-])\d{{{digits}}}(?![\w.%-])", text)
        found = [(prefix.group(1).upper() + m.group(), m.span()) for m in bare]
    return found


def _number(raw: str, kind: str) -> int | float:
    value = float(raw.replace(",", "")) if raw not in COUNT_WORDS else float(COUNT_WORDS[raw])
    return int(value) if kind == "integer" or value.is_integer() else value


def _first_group(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None).lower()


def _numeric(param: ParamSpec, text: str) -> tuple[int | float, Span] | None:
    """A number for `param`, read by its name: ratings ("4 stars"), bounds ("under $200", "between $50 and
    $100"), counts ("2 of", "top 3") or amounts ("$80")."""
    hints = param.name_words
    if hints & _RATING_HINTS:
        cues = [_STARS]
    elif hints & (_UPPER_HINTS | _LOWER_HINTS):
        upper = bool(hints & _UPPER_HINTS)
        if between := _BETWEEN.search(text):
            low, high = [g for g in between.groups() if g is not None]
            return _number(high if upper else low, param.kind), between.span()
        cues = [_UPPER if upper else _LOWER]
    elif param.kind == "integer":
        cues = [_QUANTITY]
    elif hints & _AMOUNT_HINTS:
        cues = [MONEY]
    else:
        return None
    for cue in cues:
        if m := cue.search(text):
            return _number(_first_group(m), param.kind), m.span()
    return None


def filled_numbers(profile: ToolProfile, text: str) -> int:
    """How many of the tool's numeric parameters `text` gives a value for."""
    return sum(1 for p in profile.params if p.kind in ("number", "integer") and _numeric(p, text) is not None)


def _preceding_word(text: str, start: int) -> str:
    """The word before `start`, past an article ("from the US": from)."""
    before = [w for w in re.findall(r"[A-Za-z]+", text[:start]) if w.lower() not in ("the", "a", "an")]
    return before[-1].lower() if before else ""


def _pick(param: ParamSpec, matches: list[tuple[str, Span]], text: str, used: set[Span]) -> tuple[str, Span] | None:
    """The match for `param`: one after "from"/"to" when its name says so, one after "within" for either end
    (a route inside one region starts and ends there), else the first unused."""
    free = [m for m in matches if m[1] not in used]
    hints = param.name_words | (_END_NOUNS & {w.lower for w in words(param.description)})
    ends = [wanted for wanted in (_FROM_HINTS, _TO_HINTS) if hints & wanted]
    if len(ends) == 1:  # "shipping to me from the US east warehouse": us-east is no destination
        other = _TO_HINTS if ends[0] is _FROM_HINTS else _FROM_HINTS
        free = [m for m in free if _preceding_word(text, m[1][0]) not in other]
    for wanted in ends:
        for m in free:
            if _preceding_word(text, m[1][0]) in wanted:
                return m
    if ends and (inside := [m for m in matches if _preceding_word(text, m[1][0]) in _WITHIN_HINTS]):
        return inside[0]
    return free[0] if free else None


def _meant_enum(param: ParamSpec, text: str) -> list[tuple[str, Span]]:
    """Enum values the everyday phrases of `text` mean ("on the way" -> "shipped", "europe" -> "eu-central")."""
    return [(plain, span) for plain, span in phrase_spans(text) if plain in param.enum]


def _coded(param: ParamSpec, text: str, used: set[Span]) -> tuple[Any, list[Span]] | None:
    """A value of an enum, code-shaped or numeric parameter found in `text`."""
    if param.kind in ("number", "integer"):
        found = _numeric(param, text)
        return (found[0], [found[1]]) if found else None
    matches = sorted(_enum_matches(param, text) + _meant_enum(param, text), key=lambda m: m[1]) if param.enum else []
    matches = matches or _shape_matches(param, text)
    if param.kind == "array":
        if not param.strict or not matches:
            return None
        unique = list(dict.fromkeys(v for v, _ in matches))
        return unique, [s for _, s in matches]
    if param.enum and not param.required and _alternatives(matches, text):
        return None
    picked = _pick(param, matches, text, used)
    return (picked[0], [picked[1]]) if picked else None


def _term(word: Word) -> str:
    lower = word.lower
    return lower if "-" in lower else stem(lower)


@dataclass(frozen=True)
class _Segment:
    """A run of the ask that may be a value, and the terms of the words just before it ("mentioning")."""

    text: str
    cues: frozenset[str]
    definite: bool = False  # follows "the", "my", "this", ...: a thing's name ("grabbing the aurora pros")

    @property
    def named(self) -> bool:
        """Holds a name ("TrailPeak 2 tent")."""
        return bool(entity_spans(self.text))

    @property
    def names_kind(self) -> bool:
        """Holds a kind of thing a store sells ("a headlamp", not "trip next week")."""
        return any(is_product_kind(w.text) for w in words(self.text))

    def is_context(self, asked: Sequence[str]) -> bool:
        """Only says what a thing of a kind the ask asks for is for: an interest or a need beside it ("running
        marathons" of "my sister started running marathons, whats a good gps watch")."""
        said = words(self.text)
        return bool(asked) and not self.names_kind and all(related_words(w.text) for w in said)


def profile_searches(profile: ToolProfile) -> bool:
    """The tool searches by free text (a catalog search's query)."""
    return any(p.is_search_text for p in profile.params)


def _segments(profile: ToolProfile, text: str, taken: Sequence[Span]) -> list[_Segment]:
    """Runs of the ask that name something: no stopwords, no words of the tool's own vocabulary, no values taken.

    "is the TrailPeak 2 tent in stock?" -> ["TrailPeak 2 tent"] for a stock tool.
    """
    runs: list[tuple[list[Word], set[str]]] = []
    gap: set[str] = set()
    previous: Word | None = None
    # "to keep my coffee hot": what the thing does, as descriptions say it, though "keep" is an everyday word
    doing = {start for start, _ in keeping_spans(text)} if profile_searches(profile) else set()
    for w in words(text):
        keep = not w.is_filler and w.lower not in ACKNOWLEDGEMENTS and not is_request_verb(w.lower)
        said_of = bool(_after(text, w))  # "battery-wise": the topic, whatever else the word is
        keep = keep and (said_of or w.start in doing or not is_generic(w.lower))
        keep = keep and not any(s <= w.start < e for s, e in taken)
        if keep and not is_entity_word(w) and _term(w) in profile.core_terms and not said_of:
            keep = False
            gap.add(_term(w))
        if not keep:
            previous = None
            continue
        if previous is None or _BREAK.search(text[previous.end : w.start]):
            runs.append(([], gap))
            gap = set()
        runs[-1][0].append(w)
        previous = w
    segments = [
        _Segment(
            text[run[0].start : run[-1].end],
            frozenset(cues | _after(text, run[-1])),
            bool(_DETERMINER.search(text[: run[0].start])),
        )
        for run, cues in runs
    ]
    # "2 of the 1l water bottles": a count, then what it counts
    for i in range(len(runs) - 2, -1, -1):
        (run, _), (after, _) = runs[i], runs[i + 1]
        if len(run) == 1 and _COUNT.fullmatch(run[0].lower) and _COUNT_OF.fullmatch(text[run[0].end : after[0].start]):
            counted = segments[i + 1]
            segments[i : i + 2] = [_Segment(f"{run[0].text} {counted.text}", counted.cues, counted.definite)]
    return segments


_COUNT = re.compile(r"\d+|" + "|".join(COUNT_WORDS))
_COUNT_OF = re.compile(r"\s+of\s+(?:(?:the|those|these|my|your)\s+)?", re.IGNORECASE)


_DETERMINER = re.compile(r"\b(?:the|my|this|that|these|those|your)\s+(?:\d+\s+)?$", re.IGNORECASE)


_SUFFIXED = re.compile(r"-(\w+)")
_TOPIC = frozenset(text_terms("topic"))


def _after(text: str, last: Word) -> set[str]:
    """The topic's terms when a suffix joined to the word says it is what the ask is about ("battery-wise")."""
    m = _SUFFIXED.match(text, last.end)
    return set(_TOPIC) if m and synonym_terms(m.group(1), interests=False).keys() >= _TOPIC else set()


def _free_values(
    params: list[ParamSpec], segments: list[_Segment], ask_terms: set[str], asked: Sequence[str]
) -> dict[str, Any]:
    """Phrases for free-text parameters.

    A segment right after a word only one parameter knows goes to it ("mentioning rain" -> keyword). Then
    the first or required parameters, and optional ones the ask speaks of, take the best segment left
    (names first, then kinds of product, then what follows "the" or "my", then the longest); a search-text
    parameter takes all of them ("setting up an office, what chairs" -> "setting chairs": a search finding
    nothing is retried with fewer words) but those that only say what a kind of thing the ask asks for
    (`asked`) is for. A lone list parameter takes every segment.
    """
    if len(params) == 1 and params[0].kind == "array":
        items = [item for seg in segments for item in _split_list(params[0], seg.text)]
        return {params[0].name: items} if items else {}
    left = list(segments)
    chosen: dict[str, _Segment] = {}
    for p in params:
        others = set().union(*(q.terms for q in params if q is not p))
        if seg := next((seg for seg in left if seg.cues & (p.terms - others)), None):
            chosen[p.name] = seg
            left.remove(seg)
    for i, p in enumerate(params):
        if p.name not in chosen and left and p.is_search_text and i == 0:
            searched = [seg for seg in left if not seg.is_context(asked)] or left
            chosen[p.name] = _Segment(" ".join(seg.text for seg in searched), frozenset())
            left = []
        elif p.name not in chosen and left and (i == 0 or p.required or p.terms & ask_terms):
            seg = min(
                left, key=lambda seg: (not seg.named, not seg.names_kind, not seg.definite, -len(seg.text.split()))
            )
            chosen[p.name] = seg
            left.remove(seg)
    return {
        p.name: _split_list(p, chosen[p.name].text) if p.kind == "array" else chosen[p.name].text
        for p in params
        if p.name in chosen
    }


_COUNTED_FORM = re.compile(r"\b\d+ x \S", re.IGNORECASE)  # a description's "2 x OUT-300 for two units"
_COUNTED_ITEM = re.compile(r"^(\d+|" + "|".join(COUNT_WORDS) + r")\s+(?![x×*]\s)(\S.*)$", re.IGNORECASE)


def _split_list(param: ParamSpec, phrase: str) -> list[str]:
    """The items of a phrase ("A, B and C"), identifiers in their canonical upper case and no identifier
    of another shape ("TRAIL20" is no product); an item
    with a count ("2 merino tops") written in the form the description shows for units ("2 x merino tops")."""
    items = [item for item in _LIST_SPLIT.split(phrase) if item and not _other_code(param, item)]
    items = [item.upper() if param.shape is not None and param.shape.fullmatch(item) else item for item in items]
    if not _COUNTED_FORM.search(param.description):
        return items
    return [_counted(item) for item in items]


def _counted(item: str) -> str:
    """ "2 merino tops" -> "2 x merino tops"; a number with a unit is a size, part of a name ("34 inch ultrawide")."""
    if any(start == 0 for start, _ in amount_spans(item)):
        return item
    m = _COUNTED_ITEM.match(item)
    return f"{_number(m.group(1).lower(), 'integer')} x {m.group(2)}" if m else item


def _coded_values(profile: ToolProfile, text: str) -> tuple[dict[str, Any], list[Span]]:
    values: dict[str, Any] = {}
    taken: list[Span] = []
    for p in profile.params:
        found = _coded(p, text, set(taken))
        if found is not None:
            values[p.name], spans = found
            taken.extend(spans)
    if not profile.takes_names:
        values |= {p.name: v for p in profile.params if p.name not in values and (v := _class_value(p, text))}
    return values, taken


def _class_value(param: ParamSpec, text: str) -> str | None:
    """The enum value naming the one class of goods the kinds of thing `text` names belong to ("a code for a
    tent": outdoor), for a tool no text parameter of which could carry the kind itself."""
    classes = goods_classes(text)
    named = {v for v in param.enum for cls in classes if stem(cls) in {stem(part) for part in v.split("-")}}
    return next(iter(named)) if len(named) == 1 else None


def holds_value(profile: ToolProfile, text: str, *, strict: bool = False) -> bool:
    """Whether `text` holds an identifier or enum value one of this tool's parameters takes.

    With `strict`, only values of identifier and enum parameters count ("ORD-1002"), not a SKU given to
    a parameter that also takes a product name, nor a whole message passed on as it is.
    """
    return any(
        (p.shape is not None and (p.strict or not strict) and p.shape.search(text))
        or (p.enum and _enum_matches(p, text))
        or (not strict and takes_whole_message(p))
        for p in profile.params
    )


def holds_identifier(profile: ToolProfile, text: str) -> bool:
    """Whether `text` gives an identifier one of this tool's identifier parameters takes ("order 1014")."""
    return any(p.shape is not None and p.strict and not p.enum and _shape_matches(p, text) for p in profile.params)


def takes_whole_message(param: ParamSpec) -> bool:
    """A free-text parameter for the shopper's words as they are ("message", "question")."""
    return param.free_text and bool(param.name_words & _VERBATIM_NAMES)


def _looked_back(param: ParamSpec, earlier: Sequence[Evidence]) -> Any | None:
    """A required value from earlier messages, newest first: an earlier call's argument of the same name,
    a code or enum value in any message, or a name the shopper wrote."""
    for evidence in earlier:
        if evidence.arguments.get(param.name) not in (None, "", []):
            return evidence.arguments[param.name]
        readable = evidence.role == "user" or not param.loose_shape  # "IPX5" in a reply is no coupon code
        matches = _enum_matches(param, evidence.text) if param.enum else _shape_matches(param, evidence.text)
        if matches and readable:
            values = list(dict.fromkeys(v for v, _ in matches))
            return values if param.kind == "array" else values[0]
        if param.free_text and evidence.role == "user":
            names = [_with_kind_after(evidence.text, s, e) for s, e in entity_spans(evidence.text)]
            names = [n for n in names if not _other_code(param, n)]  # "ORD-1001" names no product
            if names:
                return names if param.kind == "array" else names[0]
    return None


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)\b")


def _with_kind_after(text: str, start: int, end: int) -> str:
    """A name with the word naming the thing written after it ("28L" of "the 28L daypack" is the 28L daypack)."""
    m = _NEXT_WORD.match(text, end)
    named = m is not None and not words(m.group(1))[0].is_filler and not is_generic(m.group(1))
    return text[start : m.end()] if m and named else text[start:end]


def _other_code(param: ParamSpec, name: str) -> bool:
    """An identifier of another shape than the parameter's examples ("ORD-1001" for a product)."""
    return param.shape is not None and is_code(name) and not param.shape.fullmatch(name)


def _takes_references(param: ParamSpec) -> bool:
    """An identifier or a thing's name, which an ask may give as "it" or "the first one"."""
    if param.shape is not None:
        return True
    return param.free_text and not param.is_search_text and not takes_whole_message(param)


def _named(value: Any, ask: str) -> bool:
    """Whether `value` (taken from the ask) is a name or identifier the shopper wrote, not a loose phrase."""
    items = value if isinstance(value, list) else [value]
    spans = [ask[s:e].lower() for s, e in entity_spans(ask)]
    return all(any(str(item).lower() in span or span in str(item).lower() for span in spans) for item in items)


# A pointer that is what takes money off ("how much would that take off the blender", "what does it save on the
# tent"): a discount or code spoken of, no product of the cart.
_REDUCING = re.compile(
    r"\b(?:it|that|this)\s+(?:would\s+|will\s+|could\s+|can\s+|does\s+|do\s+|might\s+)?"
    r"(?:take|takes|knock|knocks|save|saves|cut|cuts|shave|shaves)\b",
    re.IGNORECASE,
)


def _names_thing(item: str) -> bool:
    """An item of a list that may name a thing the store sells ("the aerobrew grinder"; not "deal")."""
    return any(may_name_thing(w.text) for w in words(item) if w.lower not in REFERENCE_WORDS and not w.text.isdigit())


# The shopper's own member discount applied to a price ("after my silver discount", "w/ my gold perks on top",
# "with my member discount"), not asked about ("what's my discount"): the price of the things spoken of, with it.
_APPLIES_OWN = re.compile(
    r"\b(?:with|w/|w|after|including|incl|using|plus|on top of)\s+(?:my|our)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:discounts?|perks?|benefits?|member(?:ship)?|tier|loyalty|status|rewards?)\b"
    r"(?:\s+(?:discounts?|perks?|benefits?|pricing|price))?(?:\s+on top(?:\s+of (?:that|it|this|them))?)?",
    re.IGNORECASE,
)


def _units_of(param: ParamSpec, ask: str) -> int | None:
    """How many units of the thing it points back to the ask counts ("how much for 2 of them": 2), for a list
    whose description writes units counted ("2 x OUT-300 for two units"); None when it counts none."""
    m = UNITS_OF.search(ask)
    if m is None or not _COUNTED_FORM.search(param.description):
        return None
    units = int(_number(m.group(1).lower(), "integer"))
    return units if units > 1 else None


def own_discount_spans(ask: str) -> list[tuple[int, int]]:
    """Where the ask applies the shopper's own member discount to a price ("w/ my gold discount on top"): words
    of the discount, naming no product."""
    return [m.span() for m in _APPLIES_OWN.finditer(ask)]


def extract_arguments(profile: ToolProfile, ask: str, earlier: Sequence[Evidence] = ()) -> Extraction:
    """Arguments for `profile` from `ask`; what the ask points back to ("it", "the first one") and required
    values it does not give are looked for in `earlier` messages."""
    values, taken = _coded_values(profile, ask)
    enum_values = {v for p in profile.params for v in p.enum}
    taken += [span for plain, span in phrase_spans(ask) if plain in enum_values]  # "europe" is a region
    taken += place_phrase_spans(ask)  # "when does reno get more": a place, no product
    taken += adding_spans(ask)  # "if i throw in the stove": the stove, not "throw"
    taken += own_discount_spans(ask)  # "w/ my gold discount on top": the shopper's discount, no product
    taken += counted_spans(ask)  # "those 2": how many things a plural points back to, no product
    taken += [m.span(1) for m in UNITS_OF.finditer(ask)]  # "2 of them": units of what it points back to
    # "does that gold code work on the monitor": those words are the code's, pointing back for it alone
    spent = {p.name: span for p in profile.params if (span := kind_reference_span(p, ask)) is not None}
    taken += spent.values()
    values |= {p.name: ask.strip() for p in profile.params if takes_whole_message(p)}
    free = [p for p in profile.params if p.free_text and p.name not in values]
    free.sort(key=lambda p: not p.required)
    # Words to search for are the thing's, not the amount it must have ("at least 10 days on a charge").
    # nor the age of the person it is for ("a gift for a 10 yo")
    # nor what others say of the shopper ("ppl keep saying they can barely see me": the problem, in no product's words)
    searched = any(p.is_search_text for p in free)
    amounts = (*amount_spans(ask), *age_spans(ask), *said_of_shopper_spans(ask)) if searched else ()
    segments = _segments(profile, ask, [*taken, *amounts])
    values |= _free_values(free, segments, set(text_terms(ask)), asked_kinds(ask))
    result = Extraction()
    carried: set[str] = set()
    for p in profile.params:
        value = values.get(p.name)
        refers = p.name in spent or points_back(without_spans(ask, [s for n, s in spent.items() if n != p.name]))
        # "2nd" looks like a code but points back, as "second" does
        loose = value is not None and p.free_text and (not _named(value, ask) or str(value).lower() in REFERENCE_WORDS)
        wanted = _takes_references(p) and (value is None or (refers and loose)) and (p.required or refers)
        if loose and isinstance(value, str) and not p.is_search_text and (name := named_before(value, ask, earlier)):
            value = name  # "the backpack": the one an earlier message named
        elif loose and isinstance(value, str) and not p.is_search_text and not refers:
            value = with_kind(value, ask, earlier)  # "the 4 person one" of tents: a 4 person tent
        elif wanted and (found := described(p, ask, earlier)):
            value = found if p.kind == "array" else found[0]  # "the backpack one": named now, not carried
        elif (
            wanted
            and (found := resolve(p, ask, earlier))
            and not (loose and isinstance(value, str) and describes_other(value, ask, found[0], earlier))
        ):
            named = [v for v in value if _names_thing(v) and v not in found] if isinstance(value, list) else []
            if p.kind == "array" and refers and named and _REDUCING.search(ask):
                value = named  # "how much would that take off the vacuum blender": "that" is the discount
            elif p.kind == "array" and refers and named:
                value = [*found[:1], *named]  # "is there a deal if i get it w the grinder"
            else:
                value = found if p.kind == "array" else found[0]
            if not refers:
                carried.add(p.name)
        elif p.kind == "array" and refers and isinstance(value, list) and (found := resolve(p, ask, earlier)):
            value = list(dict.fromkeys([*found[:1], *value]))  # "compare it with the Aurora"
        if p.kind == "array" and isinstance(value, list) and len(value) == 1 and (units := _units_of(p, ask)):
            value = [f"{units} x {value[0]}"]  # "how much for 2 of them": two of the one thing spoken of
        if p.kind == "array" and isinstance(value, list):  # "a first order discount": "first" is no item
            value = [v for v in value if not all(w.lower in REFERENCE_WORDS for w in words(str(v)))] or None
        if value is None and p.required and not (wanted and refers_to_others(ask)):
            value = _looked_back(p, earlier)
            carried.add(p.name)
        if value is not None and value != []:
            result.arguments[p.name] = value
        elif p.required:
            result.missing.append(p)
    _without_reference_kind(profile, ask, values, result, carried)
    result.carried = frozenset(carried & result.arguments.keys())
    return result


def _without_reference_kind(
    profile: ToolProfile, ask: str, values: dict[str, Any], result: Extraction, carried: set[str]
) -> None:
    """Words to search for that are only the kind of the thing pointed back to ("shoes" of "what do ppl think of
    those shoes", once the product is the shoes spoken of) name no topic: the parameter is left without them."""
    pointed = any(
        p.name in result.arguments and p.name not in carried and result.arguments[p.name] != values.get(p.name)
        for p in profile.params
        if not p.is_search_text
    )
    if not pointed:
        return
    for p in profile.params:
        value = result.arguments.get(p.name)
        if not p.is_search_text or not isinstance(value, str) or not all(is_product_kind(w.text) for w in words(value)):
            continue
        if re.search(rf"\b(?:the|this|that|these|those)\s+{re.escape(value)}\b", ask, re.IGNORECASE):
            del result.arguments[p.name]
            if p.required:
                result.missing.append(p)
