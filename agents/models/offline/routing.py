"""Scoring offered tools against an ask: IDF-weighted term overlap, minus what a tool says it is not for.

Besides words, three kinds of evidence count as pseudo-terms: an identifier shaped like a tool's example
("ORD-1001"), a name for a tool with a free-text parameter ("the Aurora Pro"), and numbers that fill a
tool's numeric parameters ("under $200").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from agents.models.offline.arguments import filled_numbers
from agents.models.offline.lexicon import (
    GENERIC_WORDS,
    PHRASE_ONLY_TERMS,
    PLACES,
    corrected,
    is_english,
    is_product_kind,
    phrases_in,
    place_terms,
    related_words,
    said_of_shopper_spans,
    shopper_states,
    suited_uses,
    synonym_terms,
    without_fixed_phrases,
    word_meanings,
)
from agents.models.offline.measures import amount_spans
from agents.models.offline.profiles import ASIDE_WEIGHT, ToolProfile, value_fields, vocabulary
from agents.models.offline.references import REFERENCE_WORDS, compared_spans
from agents.models.offline.text import (
    ACKNOWLEDGEMENTS,
    ADVICE_TERMS,
    COMPOUND_PART,
    MONEY,
    PRICE_TERM,
    REQUEST_TERMS,
    WHEN_WORDS,
    Word,
    entity_spans,
    is_code,
    place_spans,
    stem,
    text_terms,
    without_spans,
    word_set,
    words,
)

SHAPE_WEIGHT = 1.5
NAME_WORD_WEIGHT = 0.5
COMPOUND_WEIGHT = 0.5  # "watch" for "smartwatch"
NAME_TERM = "#name"
NUMBER_TERM = "#number"
_SHAPE_PREFIX = "#shape:"
WEAK_FACTOR = 0.1
REQUEST_WEIGHT = 0.3  # "show me tents": what is shown says more than the asking verb
# A kind of thing a store sells is found in its catalog: when choosing a desk, evidence for the one that finds
# products if the ask says nothing else the desks know ("I like the look of the merino base layer"), and the
# least (within a desk, a yes/no about one named thing still asks for its specifications).
KIND_WEIGHT = 0.3
_CATALOG_TERM = stem("catalog")
# Words that say which of a kind is wanted, not what is asked about it ("the cheapest tent", "which watch tracks
# pace best"): no evidence of whose question it is, though a desk's description uses one ("the best price").
DESCRIBING_TERMS = frozenset(map(stem, word_set("cheap cheaper cheapest best better fastest faster newest")))
_QUESTIONS = re.compile(r"[?!;]|\.(?=\s|$)")  # where one question of an ask ends
_REFERENCE_TERMS = frozenset(stem(w) for w in REFERENCE_WORDS)


def _pairs(text: str) -> frozenset[tuple[str, str]]:
    """The stems of each two words written one after the other in `text` ("the best price" -> (best, price))."""
    stems = [stem(w.lower) for w in words(text)]
    return frozenset(pairwise(stems))


@lru_cache(maxsize=256)
def _described_pairs(p: ToolProfile) -> frozenset[tuple[str, str]]:
    """The tool's description's two-word pairs whose first word is a describing word ("best price")."""
    return frozenset(pair for pair in _pairs(p.description) if pair[0] in DESCRIBING_TERMS)


def _describes_own_word(p: ToolProfile, term: str, ask: str) -> bool:
    """A describing word the ask writes before the word the tool's description writes it before: "the best
    price on the aurora pro" asks for the pricing desk's "best price", it does not say which headphones."""
    return any(pair[0] == term for pair in _pairs(ask) & _described_pairs(p))


@dataclass(frozen=True)
class Score:
    """How well one tool matches an ask."""

    profile: ToolProfile
    value: float


@lru_cache(maxsize=1024)
def _pseudo_terms(p: ToolProfile) -> frozenset[str]:
    """The pseudo-terms a tool can match."""
    found = {_SHAPE_PREFIX + s for s in p.shapes}
    if p.takes_names:
        found.add(NAME_TERM)
    if any(param.kind in ("number", "integer") for param in p.params):
        found.add(NUMBER_TERM)
    return frozenset(found)


@lru_cache(maxsize=256)
def _idf(profiles: tuple[ToolProfile, ...]) -> dict[str, float]:
    """Inverse document frequency of every term and pseudo-term across one set of offered tools."""
    df: dict[str, int] = {}
    for p in profiles:
        for term in {*p.weights, *_pseudo_terms(p)}:
            df[term] = df.get(term, 0) + 1
    return {term: math.log(1 + len(profiles) / count) for term, count in df.items()}


@lru_cache(maxsize=512)
def _compiled(shape: str) -> re.Pattern[str]:
    return re.compile(shape, re.IGNORECASE)


def topic_terms(ask: str, profiles: Sequence[ToolProfile]) -> dict[str, float]:
    """The weighted terms of an ask, names left out: its words (misspellings corrected against the offered
    tools' vocabulary) and, at a lower weight, plain words for what its everyday words mean."""
    return dict(_topic_terms(ask, tuple(profiles)))


@lru_cache(maxsize=1024)
def _topic_terms(ask: str, profiles: tuple[ToolProfile, ...]) -> dict[str, float]:
    """`topic_terms`, read once per ask and set of offered tools (a decision asks it several times)."""
    known = vocabulary(profiles)
    amounts = amount_spans(ask)
    told = said_of_shopper_spans(ask)  # "ppl keep saying they can barely see me": the problem, no reviews
    plain = corrected(
        without_spans(ask, [*entity_spans(ask), *place_spans(ask), *compared_spans(ask), *amounts, *told]), known
    )
    found = {
        t: w
        for t, w in text_terms(without_fixed_phrases(plain)).items()
        if t not in _REFERENCE_TERMS and t not in PHRASE_ONLY_TERMS
    }
    found |= {t: REQUEST_WEIGHT for t in found.keys() & REQUEST_TERMS}
    for term in [t for t in found if t not in known]:
        for compound in _compounds(term, known):
            found[compound] = max(found.get(compound, 0.0), COMPOUND_WEIGHT)
    said = set(found)  # the ask's own words, before what they mean
    for term, weight in synonym_terms(plain).items():
        found[term] = max(found.get(term, 0.0), weight)
    fields = value_fields(profiles)
    for term in [t for t in found if t in fields]:  # "placed": an order's status
        for field in fields[term]:
            found[field] = max(found.get(field, 0.0), found[term])
    handoffs = any(p.is_handoff for p in profiles)
    if handoffs and (
        amounts  # "nothing bigger than 30 litres": a feature of a product in the catalog
        or (not said & known and (any(is_product_kind(w.text) for w in words(plain)) or name_spans(ask, known)))
    ):  # only what its words mean is known ("how much is the fryer": a price): the thing named is the catalog's
        found[_CATALOG_TERM] = max(found.get(_CATALOG_TERM, 0.0), KIND_WEIGHT)
    return found


def _ask_terms(ask: str, profiles: Sequence[ToolProfile]) -> dict[str, float]:
    """The weighted terms of an ask (names left out) and the pseudo-terms it holds."""
    spans = entity_spans(ask)
    found = topic_terms(ask, profiles)
    for shape in {s for p in profiles for s in p.shapes}:
        if _compiled(shape).search(ask):
            found[_SHAPE_PREFIX + shape] = SHAPE_WEIGHT
    if any(not is_code(ask[start:end]) for start, end in spans):
        found[NAME_TERM] = 1.0
    if any(c.isdigit() for c in ask):
        found[NUMBER_TERM] = 1.0
    return found


def _tool_weight(p: ToolProfile, term: str, ask: str) -> float:
    if term == NUMBER_TERM:
        return filled_numbers(p, ask)
    if term.startswith("#"):
        return 1.0 if term in _pseudo_terms(p) else 0.0
    return p.weights.get(term, 0.0)


def score_tools(ask: str, profiles: Sequence[ToolProfile]) -> list[Score]:
    """Score every tool for `ask`, in the order offered.

    A term adds its ask weight x tool weight x IDF when it is in the tool's vocabulary, and subtracts
    its ask weight x IDF when it is only in a sentence saying what the tool is not for. Words of names
    ("Stride Smartwatch S3") are left out, since names collide with vocabulary, unless nothing else
    matches: then they are evidence too, at half weight ("tell me about the Stride Smartwatch S3").
    """
    offered = tuple(profiles)
    wanted = _ask_terms(ask, offered)
    scores = _scored(offered, wanted, ask)
    spans = entity_spans(ask)
    if spans and all(s.value <= 0 for s in scores):
        names = text_terms(" ".join(ask[start:end] for start, end in spans), NAME_WORD_WEIGHT)
        scores = _scored(offered, {**names, **wanted}, ask)
    return scores


def by_examples_only(ask: str, profile: ToolProfile, offered: Sequence[ToolProfile]) -> bool:
    """Whether the ask matches the tool only by weak evidence: words its description gives as examples ("my
    desk chair ..." shares only "desk" with "The front desk")."""
    wanted = _ask_terms(ask, offered)
    matched = [t for t in wanted if not t.startswith("#") and _tool_weight(profile, t, ask)]
    return bool(matched) and all(_weak(profile, t) for t in matched)


def _weak(p: ToolProfile, term: str, placed: frozenset[str] = frozenset()) -> bool:
    """Evidence that says little about which tool is meant: an asking verb ("show me"), a word a
    description gives only as an example ("tents" in "outdoor (tents, sleeping bags)"), or a region only a
    place of the ask names (`placed`): where, which any tool about stock or shipping may be asked of."""
    return term in REQUEST_TERMS or term in placed or 0 < p.weights.get(term, 0.0) <= ASIDE_WEIGHT


def _scored(offered: tuple[ToolProfile, ...], wanted: dict[str, float], ask: str) -> list[Score]:
    """Each tool's score; weak evidence counts fully only when the ask has no other evidence: "is the
    tent in stock?" is about stock, whoever lists tents among its examples. A word whose everyday
    meaning a tool disowns is no evidence for it ("cost" means a price, which the stock desk disowns,
    though it speaks of shipping costs). The words a tool disowns are not held against it when the ask is
    one question holding an identifier shaped like its own ("does WELCOME10 work on any order?" asks about a
    coupon code, and "order" there is any purchase, not one the shopper placed; "is OUT-300 in stock? also
    where is ORD-1001" asks two things, and "stock" is the other's)."""
    idf = _idf(offered)
    default_idf = math.log(1 + len(offered))
    terms = sorted(wanted.items())  # a fixed order: the same sum in every process
    meant = word_meanings(ask)
    placed = place_terms(ask)
    fields = value_fields(offered)
    placed |= {field for term in placed for field in fields.get(term, ())}  # a region's field is where too
    strong = any(
        _tool_weight(p, t, ask) and not (t.startswith("#") or _weak(p, t, placed)) for p in offered for t, _ in terms
    )
    one_question = len([part for part in _QUESTIONS.split(ask) if part.strip()]) == 1
    scores = []
    for p in offered:
        value = 0.0
        owned = one_question and any(t.startswith(_SHAPE_PREFIX) and t in _pseudo_terms(p) for t in wanted)
        for term, weight in terms:
            if p.is_handoff and term in DESCRIBING_TERMS and not _describes_own_word(p, term, ask):
                continue
            tool_weight = _tool_weight(p, term, ask)
            if tool_weight and meant.get(term, frozenset()) & p.negative:
                continue
            if tool_weight:
                factor = WEAK_FACTOR if strong and _weak(p, term, placed) else 1.0
                value += factor * weight * tool_weight * idf.get(term, default_idf)
            elif term in p.negative and not owned:
                value -= weight * idf.get(term, default_idf)
        scores.append(Score(p, round(value, 9)))
    return scores


_MOST_NAME_WORDS = 4
# "does the trail runner ...", "how much is the stride band", "about the boombox mini": the thing asked about.
_ASKS_OF = word_set("does do did is are was were can will would could should about on for of with")


def _names_a_product(text: str, *, lowercase: bool) -> bool:
    """A name's words say it is a product's: one names a kind of product or an interest products serve
    ("the trail runner", "the stride band") or, written in lower case, is no everyday English word
    ("ergochair"; a capitalised one may be a place, "Yosemite")."""
    return any(
        is_product_kind(w.text) or related_words(w.text) or (lowercase and not is_english(w.lower)) for w in words(text)
    )


def name_spans(ask: str, known: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of what the ask calls a product by name: a capitalised name ("Trail Runner"), or, as shoppers
    type names in lower case, the words after "the" up to a stopword, when the thing is what a question
    asks about, some word of them is not the tools' and they read as a product's ("what sizes does the
    trail runner come in", "does the ergochair mesh pro have a headrest"; not "who won the football
    game", "what's the weather like")."""
    spans = [s for s in entity_spans(ask) if _names_a_product(ask[s[0] : s[1]], lowercase=False)]
    ws = words(ask)
    for i, w in enumerate(ws[:-1]):
        if w.lower != "the" or i == 0 or ws[i - 1].lower not in _ASKS_OF:
            continue
        run: list[Word] = []
        for after in ws[i + 1 : i + 1 + _MOST_NAME_WORDS]:
            gap = ask[(run[-1] if run else w).end : after.start]
            if after.is_filler or not after.text.islower() or gap.strip() or after.lower in PLACES:
                break
            run.append(after)
        text = ask[run[0].start : run[-1].end] if run else ""
        if run and any(stem(r.lower) not in known for r in run) and _names_a_product(text, lowercase=True):
            spans.append((run[0].start, run[-1].end))
    return spans


def coverage(ask: str, profiles: Sequence[ToolProfile]) -> float:
    """The share of the ask's distinct topic words that the offered tools' vocabulary knows (by the word or
    its meaning); a product's name counts as one word known to a desk that searches the catalog."""
    terms_known = vocabulary(tuple(profiles))
    names = name_spans(ask, terms_known) if _CATALOG_TERM in terms_known else []
    amounts = amount_spans(ask) if _CATALOG_TERM in terms_known else ()  # "30 litres": a product's feature
    named = len({*map(bool, names), *map(bool, amounts)} - {False})
    # "are those ok for rocky trails": whether a thing suits a use is asked; the use's words say what it is for
    suits = suited_uses(ask)
    uses = [use for _, use in suits]
    told = said_of_shopper_spans(ask)
    plain = corrected(without_spans(ask, [*entity_spans(ask), *names, *amounts, *uses, *told]), terms_known)
    topical = [w for w in words(plain) if not w.is_filler and not w.is_code and not w.text.isdigit()]
    topical = [w for w in topical if w.lower not in ACKNOWLEDGEMENTS and stem(w.lower) not in ADVICE_TERMS]
    topical = [w for w in topical if w.lower not in GENERIC_WORDS or stem(w.lower) in terms_known]  # "price" counts
    topical = [w for w in topical if w.lower not in WHEN_WORDS]  # "whats the weather like in paris today"
    topical = list({w.lower: w for w in topical}.values())  # each word once: a name said twice is one name
    phrases = phrases_in(plain)  # "how much" says what is asked, though its words are fillers
    places = {word for phrase in phrases if phrase in PLACES for word in phrase.split()}  # where, not what
    topical = [w for w in topical if w.lower not in places]
    phrases = [phrase for phrase in phrases if phrase not in PLACES]
    phrases += [ask[start:end].strip().lower() for (start, end), _ in suits]
    if not topical:
        return 1.0
    phrased = {word for phrase in phrases for word in phrase.split()}
    states = set(shopper_states(plain))  # "i'm always thirsty": a need the store's things serve
    advised = _advised(plain)
    known = sum(
        1.0 if w.lower in phrased | states else _known_share(w.text, terms_known, interests=w.lower not in advised)
        for w in topical
    )
    budget = 1 if MONEY.search(plain) and PRICE_TERM in terms_known else 0  # "under $150" is a shopper's budget
    # "tv dialogue is so mumbly, what would fix that": a remedy asked for a problem with a thing the store's
    # things serve (a tv) is a thing to buy; "my sink is leaking, what would fix that" speaks of none
    remedy = 1 if _REMEDY.search(plain) and any(_serves(w.text) for w in topical) else 0
    return (known + len(phrases) + budget + named + remedy) / (len(topical) + len(phrases) + budget + named + remedy)


# Asking what would remedy a problem ("what would fix that", "anything that could fix it").
_REMEDY = re.compile(r"\b(?:would|could|will|might|can)\s+(?:fix|solve|help with)\b", re.IGNORECASE)


def _serves(word: str) -> bool:
    """A word of a thing the store sells or of an interest its things serve ("tv": soundbars)."""
    return is_product_kind(word) or bool(related_words(word))


INTEREST_SHARE = 0.5  # "a good hiking trail": an interest the store serves, but no thing it sells


# What advice is asked for ("recommend a good movie", "suggest me some podcasts"): the thing itself is wanted.
_ADVISED = re.compile(
    r"\b(?:recommend|suggest)\s+(?:me\s+)?(?:(?:a|an|some|any)\s+)?(?:(?:good|nice|great|fun)\s+)?([a-z]+)",
    re.IGNORECASE,
)


def _advised(text: str) -> frozenset[str]:
    """The words naming what advice is asked for: a thing the store sells only when it is one of its kinds
    ("recommend a good tent"), not when it is only an interest its things serve ("recommend a good movie")."""
    return frozenset(m.group(1).lower() for m in _ADVISED.finditer(text))


def _known_share(word: str, vocabulary: frozenset[str], *, interests: bool = True) -> float:
    """1 when the word, its meaning, or the word as part of a compound ("watch" in "smartwatch") is in
    `vocabulary`; less when only what the interest suggests is ("hiking": backpacks), unless interests don't
    count; 0 otherwise."""
    meant = text_terms(word).keys() | synonym_terms(word, interests=False).keys()
    if meant & vocabulary or is_product_kind(word) or _compounds(stem(word), vocabulary):
        return 1.0
    return INTEREST_SHARE if interests and synonym_terms(word).keys() & vocabulary else 0.0


def _compounds(part: str, vocabulary: frozenset[str]) -> list[str]:
    """Vocabulary words that start or end with `part` ("smartwatch" for "watch")."""
    if len(part) < COMPOUND_PART or not part.isalpha():
        return []
    return list(_affixes(vocabulary).get(part, ()))


@lru_cache(maxsize=256)
def _affixes(vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Every start and end of four letters or more of the vocabulary's words, each with the words (in order) it
    leaves at least three letters of (built once per vocabulary)."""
    found: dict[str, set[str]] = {}
    for known in vocabulary:
        for size in range(COMPOUND_PART, len(known) - 2):
            found.setdefault(known[:size], set()).add(known)
            found.setdefault(known[-size:], set()).add(known)
    return {part: tuple(sorted(compounds)) for part, compounds in found.items()}


def best(scores: Sequence[Score]) -> Score | None:
    """The highest score (the first offered wins a tie), or None when there is none."""
    return max(scores, key=lambda s: s.value, default=None)
