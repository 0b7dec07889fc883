"""Words of a text: tokenising, crude stemming, stopwords, entity spotting and token estimates."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

# A word: letters/digits, optionally joined by hyphens, apostrophes or inner dots ("ORD-1001", "5.5L").
# "battery-wise" is "battery" and "-wise" (as to): the word it is said of stands alone.
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-](?!wise\b)[A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
# An amount of money: "$200", "200 dollars" (the amount is in group 1 or 2).
MONEY = re.compile(r"\$\s*(\d+(?:[.,]\d+)?)|\b(\d+(?:[.,]\d+)?)\s*(?:dollars?|usd|bucks)\b", re.IGNORECASE)


def word_set(text: str) -> frozenset[str]:
    """The words of a text written as a list of words."""
    return frozenset(text.split())


QUESTION_WORDS = word_set("what whats what's which who whom whose when where why how whos hows")
# "where" and "when" say what is asked (a place, a date), so they count when matching tools, never as names.
_TELLING_QUESTION_WORDS = word_set("where when")

# Where places are: the US states, their larger cities and the European countries a shopper may name for a
# delivery, by the store's shipping regions (the US West, Central and East; Europe); the last line's places
# are in none of them ("ship to canada" names a place, no product).
PLACES_TEXT = """
us-west: washington state, seattle, oregon, portland, california, los angeles, san francisco, san diego, san jose,
  sacramento, nevada, las vegas, reno, idaho, boise, montana, wyoming, utah, salt lake city, colorado, denver,
  arizona, phoenix, tucson, new mexico, albuquerque, alaska, anchorage, hawaii, honolulu, the west
us-central: texas, dallas, houston, austin, san antonio, oklahoma, kansas, nebraska, south dakota, north dakota,
  minnesota, minneapolis, iowa, missouri, st louis, kansas city, arkansas, louisiana, new orleans, wisconsin,
  milwaukee, illinois, chicago, michigan, detroit, indiana, indianapolis, the midwest
us-east: new york, nyc, brooklyn, new jersey, newark, boston, massachusetts, pennsylvania, philadelphia,
  pittsburgh, ohio, columbus, cleveland, kentucky, tennessee, nashville, mississippi, alabama, georgia, atlanta,
  florida, miami, orlando, tampa, carolina, charlotte, virginia, maryland, baltimore, washington dc, delaware,
  connecticut, rhode island, vermont, new hampshire, maine, the east
eu-central: europe, eu, germany, berlin, munich, france, paris, netherlands, holland, amsterdam, belgium,
  luxembourg, austria, vienna, switzerland, italy, rome, milan, spain, madrid, barcelona, portugal, lisbon,
  poland, czechia, denmark, sweden, norway, finland, ireland, dublin, uk, england, london, scotland
: canada, toronto, vancouver, montreal, mexico, australia, sydney, japan, tokyo, china, india, brazil, asia, africa
"""
PLACE_NAMES = frozenset(
    place.strip() for entry in re.split(r"\n(?=\S)", PLACES_TEXT.strip()) for place in entry.split(":")[1].split(",")
)
# Numbers written as words ("two of them", "a pair"), as shoppers and descriptions write them.
COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
COUNT_WORDS |= {"ten": 10, "pair": 2, "couple": 2, "dozen": 12}
# The shortest word found inside a compound ("watch" in "smartwatch"), which leaves three letters or more.
COMPOUND_PART = 4


def in_compound(part: str, word: str) -> bool:
    """Whether `part` is the start or end of the compound `word` ("chair" of "ergochair")."""
    return len(part) >= COMPOUND_PART and len(word) >= len(part) + 3 and (word.startswith(part) or word.endswith(part))


# Words of when, which say nothing of what is asked ("whats the weather like in paris today").
WHEN_WORDS = word_set("today tonight tomorrow yesterday now currently weekend morning evening")
# Months and days: when, never a name ("in January", "by Friday").
CALENDAR_WORDS = word_set(
    """
    january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
    """
)


STOPWORDS = word_set(
    """
    a about above after again against all also am an and any anybody anyone anything are aren't as at
    be because been before being below between both but by can can't cannot could couldn't
    did didn't do does doesn't doing don't down during each either else even ever every few for from
    further get gets getting give go going got had has hasn't have haven't having he her here hers
    herself him himself his i i'd i'll i'm i've if in into is isn't it it's its itself just know let
    let's me might mine more most much must my myself need no nor not now of off on once only or other
    our ours ourselves out over own please pls really same shall she should so some somebody someone
    something still such than that that's the their theirs them themselves then there there's
    these they this those through to too under until up upon us very via want wanna was wasn't we we're
    were weren't will with within without won't would wouldn't yet you you're your yours yourself
    yourselves able people folks anymore maybe kindly thing things stuff see look looking find
    u ur r plz ya hw abt wat wht around many whatever whatever's actually honestly seriously basically literally
    im ive thats theres youre theyre smth sth smthg smthn w ugh
    he's she's they're who's hm hmm hmmm um umm uh uhh er erm question questions guys yall y'all usually normally
    typically generally take takes took
    """
) | (QUESTION_WORDS - _TELLING_QUESTION_WORDS)

# Verbs of asking and buying: weak evidence of what an ask is about ("show me", "if I buy", "if i add the chair"),
# never part of a value.
REQUEST_VERBS = frozenset({"show", "tell", "buy", "purchase", "add", "recommend", "suggest"})

# Everyday variants and short forms folded onto one word, so "hi" and "hello" are the same greeting.
CANONICAL = {
    "hi": "hello",
    "hey": "hello",
    "hiya": "hello",
    "howdy": "hello",
    "greetings": "hello",
    "bye": "goodbye",
    "cya": "goodbye",
    "farewell": "goodbye",
    "wheres": "where",
    "whens": "when",
    "pros": "advantages",  # "pros and cons", not "pro" as in "the Aurora Pro"
    "spec": "specification",
    "specs": "specifications",
}
ACKNOWLEDGEMENTS = word_set(
    "thanks thank thx ty ok okay k cool great perfect awesome nice got it understood alright fine sure "
    "cheers appreciated appreciate good much lot lol haha"
)


def is_code(text: str) -> bool:
    """An identifier mixing letters and digits ("ORD-1001", "TRAIL20")."""
    return bool(_CODE.match(text))


@dataclass(frozen=True)
class Word:
    """One word of a text, with where it sits in that text."""

    text: str
    start: int
    end: int
    sentence_start: bool

    @cached_property
    def lower(self) -> str:
        """The word in lower case."""
        return self.text.lower()

    @cached_property
    def is_code(self) -> bool:
        """An identifier mixing letters and digits ("ORD-1001", "TRAIL20")."""
        return is_code(self.text)

    @cached_property
    def is_filler(self) -> bool:
        """A stopword or question word: never part of a name or a value."""
        return self.lower in STOPWORDS or self.lower in QUESTION_WORDS


@lru_cache(maxsize=1024)
def words(text: str) -> tuple[Word, ...]:
    """The words of `text` in order."""
    found: list[Word] = []
    last_end = 0
    for m in _WORD.finditer(text):
        starts_sentence = not found or bool(_SENTENCE_END.search(text[last_end : m.start()]))
        found.append(Word(m.group(), m.start(), m.end(), starts_sentence))
        last_end = m.end()
    return tuple(found)


_SNOWBALL = snowballstemmer.stemmer("english")


# Plurals of nouns ending in f or fe, which no rule of endings tells from verbs ("drives", "leaves").
_F_PLURALS = {"knives": "knife", "shelves": "shelf", "halves": "half"}


def _plain(w: str) -> str:
    """`w` without a plural, -ing or -ed ending, or a final e or y ("cancelling" -> "cancel")."""
    w = _F_PLURALS.get(w, w)
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) >= 3 and any(c in "aeiouy" for c in base):
            w = base[:-1] if len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeious" else base
            break
    final_e = len(w) > 3 and w[-1] == "e"
    final_y = len(w) > 4 and w[-1] == "y" and w[-2] not in "aeiou"
    return w[:-1] if final_e or final_y else w


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A word's stem: everyday variants folded, inflections dropped, then the Snowball (Porter2) stem.

    "delivery", "delivered" and "deliveries" all give "deliv"; "ratings" and "rated" give "rat".
    """
    w = word.lower().replace("’", "'")
    w = CANONICAL.get(w, w)
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isalpha():
        return w
    stem: str = _SNOWBALL.stemWord(_plain(w))
    return stem


# A size as shoppers and product names write it ("27in", "27-inch", "27 inches", "1.5l", "5.5L"): a number and
# a unit, each unit under one spelling.
_MEASURE = re.compile(r"^(\d+(?:\.\d+)?)-?([a-z]+)$")
_UNITS = {"in": "inch", "inch": "inch", "inches": "inch", "l": "litre", "liter": "litre", "litre": "litre"}
_UNITS |= {"liters": "litre", "litres": "litre", "mm": "mm", "cm": "cm", "w": "watt", "watt": "watt", "watts": "watt"}
_UNITS |= {"oz": "oz", "qt": "quart", "quart": "quart", "ft": "foot", "foot": "foot", "feet": "foot"}


def measure(word: str) -> tuple[str, str] | None:
    """The number and unit of a size ("27in" and "27-inch" -> ("27", "inch")); None for another word."""
    m = _MEASURE.match(word.lower())
    return (m.group(1), _UNITS[m.group(2)]) if m and m.group(2) in _UNITS else None


def terms(word: str, weight: float = 1.0) -> dict[str, float]:
    """The search terms of one word with their weights: its stem, and for a compound its parts at half weight.

    A hyphenated compound ("noise-cancelling", "eu-central") is kept whole; its parts are modifiers and
    count half. Stopwords give nothing.
    """
    lower = word.lower()
    if lower in STOPWORDS or lower.isdigit():
        return {}
    if "-" not in lower:
        return {stem(lower): weight}
    found = {lower: weight}
    for part in lower.split("-"):
        if part and part not in STOPWORDS and not part.isdigit():
            found.setdefault(stem(part), weight / 2)
    return found


def text_terms(text: str, weight: float = 1.0) -> dict[str, float]:
    """The search terms of a text, each with the largest weight it gets; money adds the price term."""
    found: dict[str, float] = {}
    for w in words(text):
        if w.is_code:
            continue
        for term, value in terms(w.text, weight).items():
            if value > found.get(term, 0.0):
                found[term] = value
    if MONEY.search(text):
        found.setdefault(PRICE_TERM, weight)
    return found


def is_entity_word(word: Word) -> bool:
    """A word that looks like part of a name: a code, CamelCase, or capitalised away from a sentence start."""
    text = word.text
    if word.is_code or (any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)):
        return True
    if word.lower in CALENDAR_WORDS:
        return False
    return text[:1].isupper() and not word.is_filler and not word.sentence_start


@lru_cache(maxsize=1024)
def entity_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of name-like phrases ("TrailPeak 2", "Aurora Pro", "OUT-300") in `text`; places are where, not
    what ("Colorado"; see `place_spans`)."""
    return tuple(s for s in _capitalised_spans(text) if text[s[0] : s[1]].lower() not in PLACE_NAMES)


@lru_cache(maxsize=1024)
def place_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of places written as names ("Colorado", "New York") in `text`."""
    return tuple(s for s in _capitalised_spans(text) if text[s[0] : s[1]].lower() in PLACE_NAMES)


def _capitalised_spans(text: str) -> list[tuple[int, int]]:
    ws = words(text)
    spans: list[tuple[int, int]] = []
    for i, w in enumerate(ws):
        joins = bool(spans) and spans[-1][1] == ws[i - 1].end and text[ws[i - 1].end : w.start].strip() == ""
        if is_entity_word(w):
            if joins and not (w.is_code and ws[i - 1].is_code):
                spans[-1] = (spans[-1][0], w.end)
            else:
                spans.append((w.start, w.end))
        elif joins and w.text.isdigit():
            spans[-1] = (spans[-1][0], w.end)
    return spans


def tokens_for_chars(chars: int) -> int:
    """Tokens a model would count for `chars` characters of text (about four characters each)."""
    return math.ceil(chars / 4)


def estimate_tokens(text: str) -> int:
    """Tokens a model would count for `text`."""
    return tokens_for_chars(len(text))


def without_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the given spans blanked out (positions are kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


PRICE_TERM = stem("price")  # added to an ask that names an amount of money
REQUEST_TERMS = frozenset(stem(w) for w in REQUEST_VERBS)
# Asking for advice is asked of anything ("recommend a pizza place"): no sign of a store question, nor of which
# tool finds the thing ("recommend a tent" is a search, though alternatives to a product are "recommended" too).
ADVICE_TERMS = frozenset(stem(w) for w in ("recommend", "suggest"))


def is_request_verb(word: str) -> bool:
    """A verb of asking or buying in any form ("show", "buying")."""
    return stem(word) in REQUEST_TERMS


GREETING = stem("hello")
FAREWELL = stem("goodbye")
