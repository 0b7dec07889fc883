"""Word-level text matching shared by product search, product lookup and review search.

Words are lower-cased alphanumeric runs with a light plural stem ("headphones" -> "headphone",
"batteries" -> "battery"); a query word matches a text word when equal, when it starts or ends a
longer compound ("watch" in "smartwatch") or when nearly equal (typos, "canceling"/"cancelling").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

_STOPWORDS_TEXT = """a an the my me i we you your our it its this that these those some any and or but of to in on at by
for with from about is are was be do does can could would should please show find search looking look
want need get tell what which how much many there here something anything one ones like"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_MIN_AFFIX = 4
_MIN_FUZZY = 5
_FUZZY_RATIO = 0.85


_IRREGULAR_PLURALS = {"knives": "knife", "shelves": "shelf", "leaves": "leaf", "halves": "half"}


def stem(word: str) -> str:
    """`word` without a plural ending ("knives" -> "knife")."""
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The stemmed words of `text`, in order."""
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    # A search reads the words of every product's fields on every call; the texts rarely change.
    return tuple(stem(w) for w in _WORD.findall(text.lower()))


def keywords(text: str) -> list[str]:
    """The distinct meaningful words of `text` (stopwords dropped), in order."""
    return list(dict.fromkeys(w for w in words(text) if w not in STOPWORDS))


@lru_cache(maxsize=1 << 16)
def word_matches(query_word: str, text_word: str) -> bool:
    """True when `query_word` names `text_word` (equal, part of a compound, or a near miss).

    Cached: a search compares its words with every word of the catalogue, the same pairs call after call.
    """
    if query_word == text_word:
        return True
    shorter, longer = sorted((len(query_word), len(text_word)))
    compound = len(query_word) >= _MIN_AFFIX and len(text_word) >= len(query_word) + 3
    if compound and (text_word.startswith(query_word) or text_word.endswith(query_word)):
        return True
    # 2 * shorter / (shorter + longer) bounds the ratio from above, as `quick_ratio` does: both are cheap.
    if shorter < _MIN_FUZZY or 2 * shorter < _FUZZY_RATIO * (shorter + longer):
        return False
    matcher = SequenceMatcher(None, query_word, text_word)
    return matcher.quick_ratio() >= _FUZZY_RATIO and matcher.ratio() >= _FUZZY_RATIO


def matches_any(query_word: str, text_words: Iterable[str]) -> bool:
    """True when `query_word` matches one of `text_words`."""
    return any(word_matches(query_word, w) for w in text_words)


def similarity(a: str, b: str) -> float:
    """Character-level similarity of two strings, 0 to 1, ignoring case."""
    return SequenceMatcher(None, a.lower(), b.lower()).ratio()
