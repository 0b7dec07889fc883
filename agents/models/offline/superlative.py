"""Answering "which one has the longest battery?" from the list an earlier tool result gave, as a model
reading its own context would, without calling a tool again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agents.models.offline.compose import listed_records, parse_result
from agents.models.offline.conversation import Conversation
from agents.models.offline.lexicon import synonym_terms
from agents.models.offline.measures import without_amounts
from agents.models.offline.text import stem, words

# A superlative and whether it asks for the largest value; "cheapest" and "lightest" also say of what.
_LARGEST = {"longest": None, "most": None, "biggest": None, "largest": None, "highest": None, "heaviest": "weight"}
_SMALLEST = {"cheapest": "price", "lowest": None, "least": None, "lightest": "weight", "smallest": None}
# Of two shown, "which has the longer battery" asks what "the longest" does.
_LARGEST |= {"longer": None, "more": None, "bigger": None, "larger": None, "higher": None, "heavier": "weight"}
_SMALLEST |= {"cheaper": "price", "lower": None, "less": None, "lighter": "weight", "smaller": None}
_PRICEY = frozenset({"expensive", "pricey", "costly"})  # "the most expensive", "the least pricey": by price
# Wishing for a low price ("something cheap", "not crazy expensive") asks for the cheapest of those found.
_CHEAP_WISH = re.compile(
    r"\b(?:cheap|affordable|inexpensive|(?:not|nothing|isn'?t)\s+(?:\w+\s+)?(?:expensive|pricey|costly))\b",
    re.IGNORECASE,
)
_WHICH = re.compile(r"\b(?:which|what)\b(?:\s+(?:one|ones|of (?:them|those|these)|product|model))?", re.IGNORECASE)
_WHICH_ONE = re.compile(r"\bwhich\b", re.IGNORECASE)
_MOST_COMPARED = 3  # "which of them": the last two or three things told of one by one
_UNITS = {"hours": "hours", "days": "days", "g": "g", "l": "litres", "kg": "kg", "w": "W", "mah": "mAh"}


def _spoken_of(convo: Conversation, *, by_id: bool = False) -> list[dict[str, Any]]:
    """The records of the things shown last: the newest listing among the results before the current ask,
    or the products that the newest results told of one by one ("the boombox", then "the soundbar")."""
    singles: list[dict[str, Any]] = []
    for m in reversed(convo.messages[: max(convo.last_user, 0)]):
        for c in reversed(m.contents):
            if c.type != "function_result":
                continue
            if items := listed_records(c.result) or (_identified(c.result) if by_id else []):
                return singles if len(singles) > 1 else items
            data = parse_result(c.result)
            if isinstance(data, dict) and "sku" in data and "name" in data:
                if all(data["sku"] != s["sku"] for s in singles):
                    singles.append(data)
                if len(singles) == _MOST_COMPARED:
                    return singles
    return singles if len(singles) > 1 else []


def _identified(result: Any) -> list[dict[str, Any]]:
    """The records of a listing of things known by an id rather than a name (the shopper's orders)."""
    data = parse_result(result)
    for value in data.values() if isinstance(data, dict) else ():
        if isinstance(value, list) and len(value) > 1 and all(isinstance(v, dict) and _id_of(v) for v in value):
            return value
    return []


def _id_of(record: dict[str, Any]) -> str | None:
    return next((str(v) for k, v in record.items() if k.endswith("_id") and isinstance(v, str)), None)


def _numbers(item: dict[str, Any]) -> dict[str, float]:
    """The record's numeric fields, its nested attributes included, by field name."""
    found = {k: v for k, v in item.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    for nested in (v for v in item.values() if isinstance(v, dict)):
        found |= {k: v for k, v in nested.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    return found


def _field(ask_terms: set[str], implied: str | None, fields: Sequence[str]) -> str | None:
    """The field the ask names ("battery" -> battery_hours), else the one the superlative implies."""
    for name in fields:
        if {stem(part) for part in name.split("_")} & ask_terms:
            return name
    priced = ("price", "total") if implied == "price" else (implied,) if implied else ()  # an order's price: its total
    return next((name for name in fields if name.startswith(priced)), None) if priced else None


def _value(name: str, value: float) -> str:
    if name in ("price", "total"):
        return f"${value:,.2f}"
    unit = _UNITS.get(name.rsplit("_", 1)[-1]) if "_" in name else None
    shown = f"{value:g}"
    return f"{shown} {unit}" if unit else shown


@dataclass(frozen=True)
class Pick:
    """The record a superlative or comparative picks, by which figure, and that figure."""

    word: str
    field: str
    value: float
    record: dict[str, Any]


# "the cheapest i can get it for", "the lowest you can do on them", "whats the cheapest for me": a clause after the
# comparing word, or the shopper it is for, says what is least (the price of the thing spoken of); it picks none of
# the things listed.
CLAUSE_AFTER = r"(?=\s+(?:i|we|you|u|ya|i'd|id|i'll|ill|we'd|you'd|u'd|for me|for us)\b)"


def qualifies_a_price(ask: str, word: str) -> bool:
    """Whether the comparing word `word` opens a clause of the shopper's or the store's own ("the cheapest i
    can get it for"), rather than choosing among things ("the cheapest one", "which is cheapest")."""
    return re.search(rf"\b{re.escape(word)}{CLAUSE_AFTER}", ask, re.IGNORECASE) is not None


def pick_by_figure(ask: str, records: Sequence[dict[str, Any]]) -> Pick | None:
    """The record "the lighter one" or "the longest battery" picks among `records` by the figure the ask
    names or the word implies; None when the ask compares nothing, the word says what is least of a price
    (`qualifies_a_price`), or no record gives such a figure."""
    said = [w.lower for w in words(without_amounts(ask))]
    word = next((w for w in said if w in _LARGEST or w in _SMALLEST), "cheapest" if _CHEAP_WISH.search(ask) else None)
    if word is None or len(records) < 2 or qualifies_a_price(ask, word):
        return None
    numbers = [_numbers(item) for item in records]
    fields = [name for name in numbers[0] if all(name in n for n in numbers)] or list(
        dict.fromkeys(name for n in numbers for name in n)
    )
    ask_terms = {stem(w) for w in said} - {stem(word)}
    if word.endswith("est"):  # "the longest on one charge": the figure the words mean (a battery's)
        ask_terms |= synonym_terms(ask, interests=False).keys()
    implied = _LARGEST.get(word) or _SMALLEST.get(word) or ("price" if _PRICEY & set(said) else None)
    name = _field(ask_terms, implied, fields)
    if name is None:
        return None
    ranked = [(n[name], item) for n, item in zip(numbers, records, strict=True) if name in n]
    value, top = (max if word in _LARGEST else min)(ranked, key=lambda pair: pair[0])
    return Pick(word, name, value, top)


def _after(said: Sequence[str], word: str) -> Sequence[str]:
    """The words said after the comparing word; none when the ask only implies it ("something cheap")."""
    return said[said.index(word) + 1 :] if word in said else ()


def picked_from(ask: str, results: Sequence[Any]) -> str | None:
    """ "The lightest is the TrailPeak 2 Backpacking Tent (OUT-300): 1.6 kg." for a listing this turn's tools
    returned and an ask for the lightest, cheapest or largest of them; None when the ask picks nothing."""
    for result in results:
        if (pick := pick_by_figure(ask, listed_records(result))) is not None:
            said = [w.lower for w in words(ask)]
            named = {stem(part) for part in pick.field.split("_")}
            after = _after(said, pick.word)[:2]
            # "the most expensive", "the longer battery"
            phrase = " ".join([pick.word, *(w for w in after if w in _PRICEY or stem(w) in named)])
            code = f" ({pick.record['sku']})" if "sku" in pick.record else ""
            return f"The {phrase} is the {pick.record['name']}{code}: {_value(pick.field, pick.value)}."
    return None


def superlative_answer(convo: Conversation) -> str | None:
    """The answer to "which one has the longest battery / is cheapest?" about the list shown last, or None."""
    ask = convo.ask
    # "which one was the most expensive?" of the shopper's orders; "what's in the cheapest one" asks what is in it
    by_id = bool(_WHICH_ONE.search(ask))
    if not _WHICH.search(ask) or (pick := pick_by_figure(ask, _spoken_of(convo, by_id=by_id))) is None:
        return None
    said = [w.lower for w in words(ask)]
    subject = " ".join(
        w for w in _after(said, pick.word) if w in _PRICEY or stem(w) in {stem(p) for p in pick.field.split("_")}
    )
    top = pick.record
    code = f" ({top['sku']})" if "sku" in top else ""
    if _PRICEY & set(said):  # "is the most expensive"
        verb = f"is the {pick.word} {subject}".rstrip()
    else:
        verb = f"has the {pick.word} {subject}" if subject else f"is the {pick.word}"
    name = f"the {top['name']}" if "name" in top else _id_of(top)
    return f"Of those, {name}{code} {verb}: {_value(pick.field, pick.value)}."
