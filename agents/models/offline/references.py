"""What an ask points back to: "it", "them", "the first one", "the other orders", resolved from earlier messages.

A reference is resolved the way a reader would: to the identifiers the latest earlier message that names
any of the kind listed ("Aurora ANC Over-Ear Headphones (AUD-100)"), an ordinal picking one of them,
"the other one" the one not spoken of last, and a plural ("them", "both") all of them; a description ("the
backpack one", "that gold code") to the record an earlier result listed whose values hold its words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import pairwise, takewhile
from typing import Any

from agents.models.offline.conversation import Evidence
from agents.models.offline.lexicon import is_generic, is_product_kind, may_name_thing, names_a_thing
from agents.models.offline.profiles import ParamSpec
from agents.models.offline.superlative import CLAUSE_AFTER, pick_by_figure
from agents.models.offline.text import (
    COUNT_WORDS,
    STOPWORDS,
    Word,
    entity_spans,
    is_code,
    stem,
    text_terms,
    without_spans,
    words,
)

PLURAL_REFERENCES = frozenset({"them", "they", "these", "those", "both", "two", "three", "all"})
SINGULAR_REFERENCES = frozenset({"it", "its", "this", "that", "one", "same"})
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1, "latest": 0}
_ORDINALS |= {"newest": 0, "recent": 0, "former": 0, "latter": -1}
_LATEST = frozenset({"last", "latest", "newest", "recent"})  # in a list said to be newest first: its first
_NEWEST_FIRST = re.compile(r"\b(?:newest|latest|most recent) first\b", re.IGNORECASE)
OTHER = frozenset({"other", "others", "another", "rest"})
_EARLIER = frozenset({"previous"})  # "the previous one": one spoken of before
REFERENCE_WORDS = PLURAL_REFERENCES | SINGULAR_REFERENCES | frozenset(_ORDINALS) | OTHER | _EARLIER


# "last" as a verb ("how long does the deal last?", "will it last for years", "which ones last the longest on one
# charge"), not "the last one".
_LAST_VERB = re.compile(
    r"\blast(?=\s*(?:[?.!,;]|$|(?:for|long|longer|longest|the longest|the most|through|on one|per)\b))", re.IGNORECASE
)

# "how long does the battery last on those", "will they last in the cold": "last" after an auxiliary and the thing
# it asks about (no "the", "my" or a getting verb right before it: "did the last one ship", "what did i order last").
_AUXILIARY_LAST = re.compile(
    r"\b(?:does|do|did|will|would|can|could|should|might|may|gonna)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?<!\bthe )(?<!\bmy )(?<!\bur )(?<!\byour )(?<!\bour )(?<!\bthat )(?<!\bthis )(?<!\bthose )(?<!\bthese )"
    r"(?<!\border )(?<!\bbuy )(?<!\bget )(?<!\bgot )(?<!\bbought )(?<!\bordered )(?<!\bship )"
    r"(last)\b(?!\s+(?:one|ones|item|items|product|products|order|orders|thing|things)\b)",
    re.IGNORECASE,
)


# An ordinal of a time ("for the first time", "the second day", "last week"): when, not which thing.
_OF_TIME = re.compile(
    r"\b(?:" + "|".join(_ORDINALS) + r")(?=\s+(?:time|times|day|days|night|week|weekend|month|year)\b)", re.IGNORECASE
)


@lru_cache(maxsize=2048)
def _ask_words(ask: str) -> tuple[str, ...]:
    """The ask's words that may point back: no "last" as a verb, no ordinal of a time, no "other" of a kind,
    no pronoun standing for a thing the ask names."""
    verbs = {m.start() for m in (*_LAST_VERB.finditer(ask), *_OF_TIME.finditer(ask))}
    verbs |= {m.start(1) for m in _AUXILIARY_LAST.finditer(ask)}
    ws = words(without_spans(ask, _said_here(ask)))
    # "what other wearables do you have": the kind to look for besides the thing spoken of, no pointing back
    kinds = {w.start for w, after in pairwise(ws) if w.lower in OTHER and is_product_kind(after.text)}
    # "want another pair", "gonna order another one": one more of the thing spoken of, the same thing
    more = {after.start for w, after in pairwise(ws) if w.lower in _GETTING and after.lower == "another"}
    # "want a 2nd pair", "a second one for my bf": one more of the thing spoken of, not the second one shown
    more |= {after.start for w, after in pairwise(ws) if w.lower in ("a", "an") and after.lower in _NEXT_ONE}

    def read(i: int, w: Word) -> str:
        if w.start in more:
            return "same"
        return _IN_WORDS.get(w.lower, w.lower) if _counted_at(ws, i) else w.lower

    return tuple(read(i, w) for i, w in enumerate(ws) if w.start not in verbs | kinds)


_NEXT_ONE = frozenset({"second", "2nd", "third", "3rd"})
_GETTING = frozenset({"want", "wanna", "get", "buy", "order", "need", "grab", "getting", "buying", "ordering"})
# as the references pointing back to several things are written ("2": "two")
_IN_WORDS = {str(n): w for w, n in COUNT_WORDS.items() if w in PLURAL_REFERENCES}
_COUNTING = frozenset({"those", "these", "the", "all", "them", "both"})


def _counted_at(ws: Sequence[Word], i: int) -> int | None:
    """How many things word `i` counts when it counts the things spoken of ("which of those 2", "all 3",
    "these three"); None when it is no such number, or the count of things it names ("the 2 sleeping bags")."""
    word = ws[i].lower
    n = COUNT_WORDS.get(word) or (int(word) if len(word) == 1 and word.isdigit() else None)  # not "the 34 inch"
    if n is None or n < 2 or i == 0 or ws[i - 1].lower not in _COUNTING:
        return None
    return None if i + 1 < len(ws) and may_name_thing(ws[i + 1].text) else n


# "the one with the webcams", "the one w/ the backpack", "the ones that have GPS": one of those shown, picked by what
# it has.
_WITH = re.compile(
    r"\bthe (?:one|ones|pair|order|product|model)\s+(?:with|w/|w|that has|that have|which has|which have|having|"
    r"containing|that contains?|from)\s+(?P<what>[^?.!,;]+)",
    re.IGNORECASE,
)
_DESCRIBED_ONE = re.compile(r"\bthe\s+((?:[\w-]+\s+){1,3}?)one\b", re.IGNORECASE)


def described_one(ask: str) -> bool:
    """ "the 34 inch one", "the titanium one": "one" stands for a thing the words before it describe, not
    for one said before (unlike "the first one", "the other one", "the cheaper one")."""
    m = _DESCRIBED_ONE.search(ask)
    return m is not None and all(w.lower() not in REFERENCE_WORDS and not is_generic(w) for w in m.group(1).split())


# "a speaker that survives rain", "anything that keeps drinks cold": "that" opens what a thing not yet named
# must do; it points back to nothing.
_RELATIVE_THAT = re.compile(
    r"\b(?:(?:a|an|some|any)\s+(?:(?!(?:on|of|for|with|about|in|to|at|from|like)\b)[\w-]+\s+){1,3}?"
    r"|(?:something|anything)\s+)(that)(?=\s+\w)",
    re.IGNORECASE,
)


# "the 2 sleeping bags, are they out the door yet", "the aurora pros, what's the lowest on them": a pronoun
# after a thing the ask itself names stands for that thing, "they" and "them" for things named in the plural.
_NAMING = re.compile(r"\b(?:the|my|these|those)\s+(?:\d+\s+)?(?=(?P<name>[\w-]+(?:\s+[\w-]+){0,2}))", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r",|\band\b", re.IGNORECASE)
# "those" / "these" stand alone as a pronoun ("did those go out yet"), not before what they point at ("those bags");
# "that one" stands for one thing ("and the chair i ordered, has that one shipped?").
_PRONOUN = re.compile(
    r"\b(?:they|them|it|(?:that|this) one|(?:those|these)(?!\s+(?:\d+\s+)?[a-z-]+s\b))\b", re.IGNORECASE
)


# "what membership tier am i and what do i get with it": what an earlier question of the ask asks for.
_ASKED_FOR = re.compile(r"^\W*(?:what|which)\s+(?=(?P<name>[\w-]+(?:\s+[\w-]+){0,2}))", re.IGNORECASE)


def _said_here(ask: str) -> list[tuple[int, int]]:
    """Where the ask's pronouns stand for a thing the ask names before them, or for what its first question
    asks for ("what membership tier am i and what do i get with it": the tier)."""
    spans = []
    for pronoun in _PRONOUN.finditer(ask):
        plural = pronoun.group().lower() not in ("it", "that one", "this one")
        before = ask[: pronoun.start()]
        named = [(m, _names_thing) for m in _NAMING.finditer(before)] + [
            (m, _asked) for m in _ASKED_FOR.finditer(before)
        ]
        for m, naming in named:
            if not _CLAUSE_BREAK.search(ask[m.end() : pronoun.start()]):
                continue  # "compare the tent with it": it is another thing
            name = list(takewhile(naming, (w.lower() for w in m.group("name").split())))
            if name and plural == (name[-1].endswith("s") and not name[-1].endswith("ss")):
                spans.append(pronoun.span())
                break
    return spans


def _asked(word: str) -> bool:
    """A word of what a question asks for ("membership tier"): a topic counts, as no thing's name need."""
    return word not in REFERENCE_WORDS and word not in STOPWORDS and not is_code(word)


def _names_thing(word: str) -> bool:
    return word not in REFERENCE_WORDS and word not in STOPWORDS and names_a_thing(word)


@lru_cache(maxsize=2048)
def points_back(ask: str) -> bool:
    """Whether the ask refers to something said before ("is it in stock?", "the first one"), not to a thing
    it names itself ("the 2 sleeping bags, are they out the door yet")."""
    if _WITH.search(ask):
        return True
    described = described_one(ask)
    plain = _RELATIVE_THAT.sub(lambda m: m.group()[: m.start(1) - m.start()], _SAME_QUESTION.sub(" ", ask))
    return any(w in REFERENCE_WORDS and not (w == "one" and described) for w in _ask_words(plain))


# "same for the 4 person one": the same question of another thing, no pointing back to a thing
_SAME_QUESTION = re.compile(r"\b(?:the )?same (?:for|with|about|goes for)\b", re.IGNORECASE)


# "2 of them", "three of those": units of the one thing the ask points back to.
UNITS_OF = re.compile(r"\b(\d+|two|three|four|five)\s+of\s+(?:them|those|these|it|that)\b", re.IGNORECASE)


def counted(ask: str) -> int | None:
    """How many things a counted plural of the ask stands for ("those 2": 2); None when none counts."""
    ws = words(ask)
    return next((n for i in range(len(ws)) if (n := _counted_at(ws, i)) is not None), None)


def counted_spans(ask: str) -> list[tuple[int, int]]:
    """Where the ask counts the things a plural points back to ("those 2"): the number names no thing."""
    ws = words(ask)
    return [(w.start, w.end) for i, w in enumerate(ws) if _counted_at(ws, i) is not None]


def refers_to_many(ask: str) -> bool:
    """Whether the ask points back to several things ("which of them", "both")."""
    return any(w in PLURAL_REFERENCES for w in _ask_words(ask))


_SELECTING = re.compile(r"\b(?:which|any|none|who)\b", re.IGNORECASE)


def asks_each(ask: str) -> bool:
    """Whether the ask asks the same of each of several things spoken of ("what's in both of them?", "are
    they in stock?"), rather than which of them ("which of them shipped?")."""
    return refers_to_many(ask) and not _SELECTING.search(ask)


def refers_to_others(ask: str) -> bool:
    """Whether the ask is about the rest of something ("my other orders", "another one")."""
    return any(w in OTHER for w in _ask_words(ask))


def _codes(param: ParamSpec, text: str) -> list[str]:
    """Identifiers `param` takes, in the order `text` names them (each once)."""
    return list(_shaped_codes(param.shape, text))


@lru_cache(maxsize=4096)
def _shaped_codes(shape: re.Pattern[str] | None, text: str) -> tuple[str, ...]:
    """Identifiers of `shape` (any code when None) in the order `text` names them, each once: a reference is
    resolved against the same earlier messages many times."""
    if shape is not None:
        found = [m.group().upper() for m in shape.finditer(text)]
    else:
        found = [w.text for w in words(text) if is_code(w.text)]
    return tuple(dict.fromkeys(found))


def _earlier_value(param: ParamSpec, earlier: Sequence[Evidence]) -> list[str]:
    """Values an earlier call of this conversation gave `param` (the newest call first)."""
    for evidence in earlier:
        value = evidence.arguments.get(param.name)
        if value not in (None, "", []):
            return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return []


_BEFORE = re.compile(r"\b(?:one|order|product) before (?:that|this|it)\b|\bthe previous (?:one|order|product)\b", re.I)


def _spoken_of(param: ParamSpec, earlier: Sequence[Evidence]) -> list[str]:
    """What each earlier exchange (an ask and what answered it) was about, each once, the newest first ("the
    one before that" is the second): the one identifier its reply names, else the value its call gave
    `param`, else the one identifier its ask names. Another desk's replies count as this desk's own."""
    found: list[str] = []
    exchange: list[Evidence] = []
    for evidence in [*earlier, Evidence("user", "", {})]:
        exchange.append(evidence)
        if evidence.role != "user":
            continue
        if (about := _about_one(param, exchange)) is not None and about not in found:
            found.append(about)
        exchange = []
    return found


def _about_one(param: ParamSpec, exchange: Sequence[Evidence]) -> str | None:
    for evidence in exchange:
        readable = evidence.role == "user" or not param.loose_shape
        if evidence.role != "user" and readable and len(codes := _codes(param, evidence.text)) == 1:
            return codes[0]
        if isinstance(value := evidence.arguments.get(param.name), str) and value:
            return value
    codes = _codes(param, exchange[-1].text)
    return codes[0] if len(codes) == 1 else None


def resolve(param: ParamSpec, ask: str, earlier: Sequence[Evidence]) -> list[str]:
    """The identifiers the ask points back to for `param`, newest mention first ([] when none).

    "the backpack one" and "that gold code" pick what they describe (`described`); "the first one" picks
    from the latest list; "the other one" the listed one not asked about last; a plural or a list parameter
    takes the whole latest list; anything else its first identifier.
    """
    if found := described(param, ask, earlier):
        return found
    readable = [e for e in earlier if e.role == "user" or not param.loose_shape]
    source = next((e.text for e in readable if _codes(param, e.text)), "")
    listed = _codes(param, source)
    last_asked = _earlier_value(param, earlier)
    coded = next((i for i, e in enumerate(earlier) if e in readable and _codes(param, e.text)), len(earlier))
    called = next((i for i, e in enumerate(earlier) if e.arguments.get(param.name) not in (None, "", [])), None)
    # A call made after the shopper asked again is about something newer than the codes said before it.
    newer = called is not None and any(e.role == "user" for e in earlier[called + 1 : coded])
    if not listed or (newer and not refers_to_others(ask)):
        return last_asked  # what the bundle check was about ("the sleeping bag"), not the poles shown before
    asked = _ask_words(ask)
    if _BEFORE.search(ask) and len(spoken := _spoken_of(param, earlier)) > 1:
        return [spoken[1]]
    if refers_to_others(ask):  # the newest listing that names one not asked about last (here or at another desk)
        last = last_asked or _spoken_of(param, earlier)[:1]
        for evidence in readable:
            if others := [c for c in _codes(param, evidence.text) if c not in last]:
                return others
        return []
    # "the cheaper one", "the one with the webcams" pick in the newest listing, though a reply about one
    # came after it; so do ordinals
    listing = next((e.text for e in readable if len(_codes(param, e.text)) > 1), source)
    shown = _items(param, listing)
    if len(shown) > 1 and (picked := _compared(param, ask, listing, shown) or _by_figure(ask, earlier, shown)):
        return [picked]
    if len(shown) > 1 and _WITH.search(ask):
        return []  # "the one with the 2 webcams" of a listing that does not say what each has: look again
    for w in asked:
        if w in _ORDINALS and re.search(rf"\b{w}\b(?:\s+(?:one|item|product|order))?", ask.lower()):
            index = 0 if w in _LATEST and _NEWEST_FIRST.search(listing) else _ORDINALS[w]
            return [shown[index]] if -len(shown) <= index < len(shown) else []
    if not {"both", "all", "two", "three"} & set(asked) and (topic := _asked_about(param, source, earlier)):
        listed = topic  # "how long does the battery last on those" after "did my headphones ship yet": the headphones
    plural = any(w in PLURAL_REFERENCES for w in asked)
    if param.kind == "array" and not plural and (entry := _entry_asked_for(param, source, earlier)):
        return entry
    if param.kind == "array" and ((not plural and "it" in asked) or UNITS_OF.search(ask)):
        return listed[:1]  # "does TRAIL20 work on it", "2 of them": the one thing the answer before told of first
    if param.kind == "array" or plural:
        most = counted(ask) or (2 if {"both", "two"} & set(asked) else 3)
        if len(listed) == 1 and len(spoken := _spoken_of(param, earlier)) > 1:
            return spoken[:most]  # "the two": the last things told of one by one
        return listed[:most]
    return listed[:1]


# "ORD-1001 (1 x Aurora ANC Over-Ear Headphones (AUD-100), 1 x Precision Wireless Mouse M5 (OFF-405))": the things
# one record holds, listed in the brackets after its identifier.
_CONTENTS = re.compile(r"\b[A-Z]+-\d+\s*\((?P<items>(?:[^()]|\([^()]*\))*)\)")


def _asked_about(param: ParamSpec, source: str, earlier: Sequence[Evidence]) -> list[str]:
    """Of the things a reply listed as what one record holds (an order's items), those the shopper's ask it
    answered named ("did my headphones ship yet": the headphones, not the mouse shipped with them): what the
    conversation is about; [] when the reply lists no record's contents, or the ask named none or all of them."""
    listed = _codes(param, source)
    if len(listed) < 2 or not any(set(listed) <= set(_codes(param, m["items"])) for m in _CONTENTS.finditer(source)):
        return []
    at = next((i for i, e in enumerate(earlier) if e.text == source), len(earlier))
    asked = next((e.text for e in earlier[at + 1 :] if e.role == "user"), "")
    wanted = {
        _term(w.lower)
        for w in words(asked)
        if not w.is_filler and not is_generic(w.lower) and w.lower not in REFERENCE_WORDS and not is_code(w.text)
    }
    names = {code: name for name, code in _LABEL.findall(source)}
    named = [c for c in listed if wanted & {_term(w.lower) for w in words(names.get(c, "")) if not w.is_filler}]
    return named if len(named) < len(listed) else []


def _entry_asked_for(param: ParamSpec, listing: str, earlier: Sequence[Evidence]) -> list[str]:
    """For "that" of a listing whose entries each group several things (bundles of items), the things of the
    one entry the shopper's ask before it described most ("a tent, a sleeping bag and something to cook on.
    any package deal?": the Camp kit's three); [] when no entry stands out."""
    entries = [e for e in listing.split(";") if len(_codes(param, e)) > 1]
    asked = next((e.text for e in earlier if e.role == "user"), "")
    if len(entries) < 2 or not asked:
        return []
    wanted = text_terms(asked).keys()
    shared = [len(wanted & text_terms(e).keys()) for e in entries]
    best = max(shared)
    return _codes(param, entries[shared.index(best)]) if best and shared.count(best) == 1 else []


def _items(param: ParamSpec, listing: str) -> list[str]:
    """The items of a listing: those after its colon when it opens by naming another ("Similar to the
    Boombox (AUD-104): A (AUD-105); B (AUD-102)"), else all it names."""
    head, colon, rest = listing.partition(":")
    after = _codes(param, rest) if colon else []
    return after if len(after) > 1 and _codes(param, head) else _codes(param, listing)


_DEFINITE = re.compile(r"\b(?:the|that|this|my|those|these)\s+$", re.IGNORECASE)


def named_before(phrase: str, ask: str, earlier: Sequence[Evidence]) -> str | None:
    """The name an earlier message gave the thing a definite description stands for ("is the backpack in
    stock" after an order of "1 x Ridge 45L Hiking Backpack"), the newest message first; None when the
    phrase is no definite description or the newest message naming anything it fits names several."""
    at = ask.lower().find(phrase.lower())
    wanted = {stem(w.lower) for w in words(phrase) if not w.is_filler}
    if at < 0 or not wanted or not _DEFINITE.search(ask[:at]):
        return None
    for evidence in earlier:
        names = [str(r["name"]) for r in evidence.records if isinstance(r.get("name"), str)]
        names += [evidence.text[s:e] for s, e in entity_spans(evidence.text) if not is_code(evidence.text[s:e])]
        fitting = list(dict.fromkeys(n for n in names if wanted <= {stem(w.lower) for w in words(n)}))
        if fitting:
            return fitting[0] if len(fitting) == 1 else None
    return None


_LABEL = re.compile(r"([A-Za-z0-9][^;:\n()]*?)\s*\(([A-Z]+-\d+)\)")


def with_kind(phrase: str, ask: str, earlier: Sequence[Evidence]) -> str:
    """A described one made concrete with the kind of the thing spoken of last: "the 4 person one" after
    the TrailPeak 2 Backpacking Tent is a "4 person tent"; the phrase as it is when it names a kind."""
    m = _DESCRIBED_ONE.search(ask)
    if m is None or not described_one(ask) or phrase.lower() not in m.group(1).lower():
        return phrase
    if any(is_product_kind(w.text) for w in words(phrase)):
        return phrase
    for evidence in earlier:
        for name, _ in _LABEL.findall(evidence.text):
            if kinds := [w.text for w in words(name) if is_product_kind(w.text)]:
                return f"{phrase} {kinds[-1].lower()}"
    return phrase


def describes_other(phrase: str, ask: str, code: str, earlier: Sequence[Evidence]) -> bool:
    """Whether a kind of product the ask names ("the grinder that goes with it", "chairs to go with it") is
    not the thing `code` that a reference of the ask ("it") stands for: nothing earlier said of `code` has
    its words."""
    at = ask.lower().find(phrase.lower())
    wanted = {stem(w.lower) for w in words(phrase) if not w.is_filler and not is_generic(w.lower)}
    if at < 0 or not any(is_product_kind(w.text) for w in words(phrase)):
        return False
    said = [part for e in earlier for part in re.split(r";|\n|\.\s", e.text) if code.lower() in part.lower()]
    said += [_flat(r) for e in earlier for r in e.records if code in r.values()]
    return bool(said) and not any(wanted <= {stem(w.lower) for w in words(part)} for part in said)


def _by_figure(ask: str, earlier: Sequence[Evidence], listed: Sequence[str]) -> str | None:
    """The listed identifier "the lighter one" picks by a figure the listing's text leaves out but the tool
    result behind it gives (each product's weight)."""
    if not compared_spans(ask):
        return None
    for evidence in earlier:
        records = [r for r in evidence.records if r.get("sku") in listed]
        if len(records) > 1:
            pick = pick_by_figure(ask, records)
            return str(pick.record["sku"]) if pick else None
    return None


_COMPARATIVE = re.compile(
    r"\b(?:the|that) (?:\w+er|\w+est|more \w+|less \w+) (?:one|model|product)\b"
    r"|\bthe (?:one|ones|model|product) (?:with|that has|which has) (?:the )?(?:\w+er|\w+est|more|fewer|less) \w+",
    re.I,
)


def compared_spans(ask: str) -> list[tuple[int, int]]:
    """Where the ask points back to one thing by comparing ("the lighter one"): it picks, it does not ask to
    compare."""
    return [m.span() for m in _COMPARATIVE.finditer(ask)]


def _chunks(source: str, listed: Sequence[str]) -> dict[str, str]:
    """What `source` says of each listed identifier: the parts (sentences, list items) naming it and those
    that follow it naming no other ("ORD-1014 is placed: 2 x HD Webcam 1080p, ...")."""
    said: dict[str, str] = {}
    current: str | None = None
    for part in (p for p in re.split(r";|\n|\.\s", source) if p.strip()):
        named = [code for code in listed if code.lower() in part.lower()]
        current = named[0] if named else current
        if current is not None and len(named) <= 1:
            said[current] = f"{said.get(current, '')} {part}"
    return said


def _flat(value: Any) -> str:
    """A record's values as words, a true flag by its name ("noise_cancelling": true -> "noise cancelling")."""
    if isinstance(value, dict):
        return " ".join(k.replace("_", " ") if v is True else _flat(v) for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_flat(v) for v in value)
    return "" if isinstance(value, bool) else str(value)


_MONTH = re.compile(
    r"^(?:(jan)(?:uary)?|(feb)(?:ruary)?|(mar)(?:ch)?|(apr)(?:il)?|(may)|(jun)e?|(jul)y?|(aug)(?:ust)?|"
    r"(sep)(?:t|tember)?|(oct)(?:ober)?|(nov)(?:ember)?|(dec)(?:ember)?)$"
)


def _term(word: str) -> str:
    """A word's stem; a month by its first three letters ("july" and "Jul 27" are one month)."""
    m = _MONTH.match(word)
    return next(g for g in m.groups() if g) if m else stem(word)


def _abbreviated(initials: str, text: str) -> int:
    """How many words of a description an abbreviation in `text` stands for, by their initials ("noise
    cancelling" in "Pulse Buds ANC": active noise cancelling)."""
    found = 0
    for w in words(text):
        letters = w.text.lower()
        if w.text.isupper() and w.text.isalpha() and len(letters) > 1:
            runs = (initials[i:j] for i in range(len(initials)) for j in range(i + 2, len(initials) + 1))
            found = max(found, *(len(run) for run in runs if letters.endswith(run)), 0)
    return found


# "the backpack one", "that gold code", "my sleeping bag order", "that coupon": one thing pointed to by the
# noun naming its kind, and the words before it that describe it.
_KIND_NAMED = r"\b(?P<pointer>the|that|this|my)\s+((?:[\w-]+\s+){{0,3}}?)(?P<noun>{nouns})\b"
_DEMONSTRATIVE = frozenset({"that", "this"})
IDENTIFIED = re.compile(r"\b([a-z]+)\s+(?:code|id|number)\b", re.IGNORECASE)  # "The coupon code, e.g. TRAIL20"


@lru_cache(maxsize=256)
def _kind_named(param: ParamSpec) -> re.Pattern[str]:
    """Where an ask names what `param` identifies by a noun: "one", a word of its name ("order", "code")
    or of what its description calls it first ("coupon" of "The coupon code"; not the "bare number" of "a bare
    number such as 1001 means the same", a way to write it: "the tracking number" points to no order)."""
    nouns = {w for w in param.name_words if len(w) > 1}
    if (called := IDENTIFIED.search(param.description)) is not None:
        nouns |= {w.lower() for w in called.group().split()}
    return re.compile(_KIND_NAMED.format(nouns="|".join(sorted({"one", *nouns}))), re.IGNORECASE)


def _kind_reference(param: ParamSpec, ask: str) -> re.Match[str] | None:
    """The ask's words pointing to a thing by the noun for what `param` identifies and the words before it
    ("the backpack one", "that gold code", "that code"); None when the words point otherwise ("the other
    one", "the first order"), or no words describe it and no "that" points ("the one", "my order")."""
    for m in _kind_named(param).finditer(ask):
        said = words(m.group(2))
        pointed = m["pointer"].lower() in _DEMONSTRATIVE and m["noun"].lower() != "one"
        if not any(w.lower in REFERENCE_WORDS for w in said) and (any(not w.is_filler for w in said) or pointed):
            return m
    return None


def kind_reference_span(param: ParamSpec, ask: str) -> tuple[int, int] | None:
    """Where the ask points to what the identifier `param` takes by the noun naming it ("does that gold code
    work on the monitor": "that gold code" is the code's, no product and no "that" for the products)."""
    m = _kind_reference(param, ask) if param.strict and not param.enum else None
    return m.span() if m is not None and m["noun"].lower() != "one" else None


def _description(param: ParamSpec, ask: str) -> str | None:
    """The words the ask describes the thing it points to by: what "the one with the webcams" has,
    "backpack" of "the backpack one", "gold" of "that gold code", nothing ("") of "that code"; None when it
    describes nothing so ("the other one", "the cheaper one", "the same one")."""
    if compared_spans(ask) or _RATED.search(ask) or _COMPARED.search(ask.lower()):
        return None
    if m := _WITH.search(ask):
        return m["what"]
    return m.group(2) if (m := _kind_reference(param, ask)) is not None else None


def described(param: ParamSpec, ask: str, earlier: Sequence[Evidence]) -> list[str]:
    """The identifiers of the thing the ask describes (`_description`): in the newest listing, when it shows
    several and the description picks among them; else in the records earlier results listed, the newest
    first ("the backpack one" is the order holding the backpack, of the orders listed to find another);
    with no words ("that code"), the one record of the newest result listing any. [] when none fits."""
    if (what := _description(param, ask)) is None:
        return []
    describing = any(not w.is_filler for w in words(what))
    readable = [e for e in earlier if e.role == "user" or not param.loose_shape]
    listing = next((e.text for e in readable if len(_codes(param, e.text)) > 1), "")
    shown = _items(param, listing)
    if len(shown) > 1 and (having := _having(what, _said_of(listing, earlier, shown), shown)):
        return having
    listed: list[str] = []
    for evidence in earlier:
        found = [code for r in evidence.records if (code := _identifier(param, r)) is not None]
        if not listed and found and not describing:
            return found if len(found) == 1 else []
        listed += [code for code in found if code not in listed]
    said = _said_of("", earlier, listed)
    if param.loose_shape:  # a code of a word and a number is named by its word ("the welcome code": WELCOME10)
        said = {code: f"{said.get(code, '')} {' '.join(re.findall(r'[A-Za-z]+', code))}" for code in listed}
    return _having(what, said, listed) if describing else []


def _identifier(param: ParamSpec, record: dict[str, Any]) -> str | None:
    """The value of `param` a record holds: its field of the parameter's name, or one of its values shaped
    as the parameter's identifiers are (a loose shape as "TRAIL20" has is no identifier there: "IPX5")."""
    if isinstance(value := record.get(param.name), str) and value:
        return value
    if param.shape is None or param.loose_shape:
        return None
    return next((v for v in record.values() if isinstance(v, str) and param.shape.fullmatch(v)), None)


def _said_of(source: str, earlier: Sequence[Evidence], listed: Sequence[str]) -> dict[str, str]:
    """What the listing `source` and the records behind it say of each listed identifier."""
    said = _chunks(source, listed)
    for evidence in earlier:
        for record in evidence.records:
            if (code := next((c for c in listed if c in record.values()), None)) is not None:
                said[code] = f"{said.get(code, '')} {_flat(record)}"
    return said


def _having(what: str, said: Mapping[str, str], listed: Sequence[str]) -> list[str]:
    """The listed identifiers a description picks ("the webcams" of "the one with the webcams"): those whose
    entry in `said` shares most words with what the ask says they have; [] when that picks out none, or all
    of several."""
    wanted = {_term(w.lower) for w in words(what) if not w.is_filler and not is_generic(w.lower)}
    initials = "".join(w.lower[0] for w in words(what) if _term(w.lower) in wanted)
    # A number counts what the words name ("the 2 webcams"): it says nothing where they are not ("Aug 2").
    counted = {t for t in wanted if not t.isdigit()}

    def hits(code: str) -> int:
        said_terms = {_term(w.lower) for w in words(said.get(code, ""))}
        return len((wanted if said_terms & counted or not counted else counted) & said_terms)

    shared = {code: hits(code) + _abbreviated(initials, said.get(code, "")) for code in listed}
    top = max(shared.values(), default=0)
    picked = [code for code in listed if shared[code] == top]
    return picked if top and (len(picked) < len(listed) or len(listed) == 1) else []


# "the cheaper one": by the price the listing gives each item; "the bigger one": by the size its name gives.
_BY_PRICE = {"cheaper": min, "cheapest": min, "less expensive": min, "pricier": max, "more expensive": max}
_BY_SIZE = {"bigger": max, "biggest": max, "larger": max, "largest": max, "smaller": min, "smallest": min}
# Not "the cheapest i can get it for": that is a price of the thing "it" stands for (`qualifies_a_price`).
_COMPARED = re.compile(
    r"\bthe (" + "|".join(sorted({*_BY_PRICE, *_BY_SIZE}, key=lambda w: (-len(w), w))) + r")\b(?!" + CLAUSE_AFTER + ")"
)
_PRICE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)")
_SIZE = re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?)(?:\s*-?\s*(?:l|inch|in|cm|person|people|pc))?(?![\w.-])", re.I)


_RATED = re.compile(
    r"\b(better|higher|best|top|worse|lower|worst)[\s-]+(?:rated|reviewed|reviews|ratings?|stars)\b"
    r"|\b(?:rated|reviewed) (higher|better|best|lower|worse|worst)\b",
    re.IGNORECASE,
)
_BY_RATING = {"better": max, "higher": max, "best": max, "top": max, "worse": min, "lower": min, "worst": min}
_RATING = re.compile(r"\brated (\d(?:\.\d+)?)|(\d(?:\.\d+)?)\s*(?:out of 5|/5|stars?)\b", re.IGNORECASE)


def _compared(param: ParamSpec, ask: str, source: str, listed: Sequence[str]) -> str | None:
    """The listed identifier "the cheaper one", "the bigger one" or "the one with better reviews" picks: by
    the price written after each item, by the number in its name ("TrailPeak 4" is bigger than "TrailPeak
    2"), or by the rating the listing gives it; None when the ask compares nothing or the listing gives no
    such figures."""
    rated = _RATED.search(ask)
    m = _COMPARED.search(ask.lower())
    if rated is None and m is None:
        return None
    word = (rated.group(1) or rated.group(2)).lower() if rated else m.group(1) if m else ""
    figures: dict[str, float] = {}
    chunks = [c for c in re.split(r";|\n|\.\s", source) if c.strip()]
    for code in listed:
        chunk = next((c for c in chunks if code.lower() in c.lower()), "")
        name = chunk[: chunk.lower().find(code.lower())]
        if rated:
            found = _RATING.search(chunk)
        else:
            found = _PRICE.search(chunk) if word in _BY_PRICE else _SIZE.search(_PRICE.sub(" ", name))
        if found:
            figures[code] = float(next(g for g in found.groups() if g is not None).replace(",", ""))
    if len(figures) < 2 or len(set(figures.values())) < 2:
        return None
    pick = (_BY_RATING[word] if rated else _BY_PRICE.get(word) or _BY_SIZE[word])(figures.values())
    return next(code for code in listed if figures.get(code) == pick)
