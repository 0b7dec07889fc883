"""Needs stated as an amount ("a tent for 4 people", "at least 30 litres", "under 2 lbs"), checked against
the features of the products a result lists, as a model reading the result would: which meet the need,
or, when none does, that none does and which comes nearest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from agents.models.offline.compose import parse_result
from agents.models.offline.text import stem

Bound = Literal["min", "max"]


@dataclass(frozen=True)
class _Unit:
    """What a unit measures, its size in that measure's base unit, and how a feature's value is shown."""

    measure: str
    factor: float
    shown: str


def _units(measure: str, factor: float, shown: str, *spellings: str) -> dict[str, _Unit]:
    return dict.fromkeys(spellings, _Unit(measure, factor, shown))


# The units a shopper writes and a feature's name ends with ("capacity_people", "weight_kg", "battery_hours").
_UNITS: dict[str, _Unit] = {
    **_units("people", 1, "people", "people", "person", "persons", "ppl"),
    **_units("volume", 1, "L", "l", "litre", "litres", "liter", "liters", "ltr"),
    **_units("volume", 0.001, "ml", "ml"),
    **_units("mass", 1, "kg", "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    **_units("mass", 0.001, "g", "g", "gram", "grams"),
    **_units("mass", 0.4536, "lb", "lb", "lbs", "pound", "pounds"),
    **_units("mass", 0.02835, "oz", "oz", "ounce", "ounces"),
    **_units("time", 1, "hours", "h", "hr", "hrs", "hour", "hours"),
    **_units("time", 24, "days", "day", "days"),
    **_units("length", 0.0254, "in", "inch", "inches"),
    **_units("length", 0.01, "cm", "cm"),
    **_units("length", 0.001, "mm", "mm"),
    **_units("power", 1, "W", "w", "watt", "watts"),
    **_units("temperature", 1, "°C", "c", "°c", "celsius"),
    **_units("lumens", 1, "lumens", "lumen", "lumens"),
    **_units("ports", 1, "ports", "port", "ports"),
    **_units("burners", 1, "burners", "burner", "burners"),
}
# A feature's name ends with "in" ("size_in"); a shopper's "in" is one only written onto the number ("27in").
_INCH = _Unit("length", 0.0254, "in")
# Without a word for the bound, a weight or a temperature rating is a limit from above ("a 2 kg tent",
# "a bag for -10C"), anything else one from below ("a 4 person tent", "a 30L pack").
_FROM_ABOVE = frozenset({"mass", "temperature"})
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_COUNTS |= {"nine": 9, "ten": 10, "twelve": 12}

_NUMBER = r"(?P<number>-?\d+(?:\.\d+)?|" + "|".join(_COUNTS) + ")"
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=lambda u: (-len(u), u)))
# After a number: it is no price, but an amount of one of these units (or a longer number).
NOT_A_PRICE = rf"(?!\d|[.,]\d|\s*-?\s*(?:{_UNIT})\b|in\b)"
_MAX_WORDS = r"under|below|less than|at most|max(?:imum)?|up to|no more than|lighter than|within"
_MIN_WORDS = r"at least|min(?:imum)?|over|above|more than|no less than|longer than|bigger than|upwards of"
_AMOUNT = re.compile(
    rf"(?:\b(?:(?P<negated>nothing|not|no|none)\s+)?(?P<bound>{_MAX_WORDS}|{_MIN_WORDS})\s+)?{_NUMBER}(?P<plus>\+)?(?:\s*-?\s*(?P<unit>{_UNIT})|(?P<inch>in))\b"
    r"(?P<after>\s*\+|\s+or (?:more|less|fewer|under|over)|\s+plus\b)?",
    re.IGNORECASE,
)
# "sleeps six", "fits 4", "a family of five": a headcount with no unit.
_HEADCOUNT = re.compile(rf"\b(?:sleeps|sleep|fits|fit|seats|family of)\s+{_NUMBER}\b(?!\s*-?\s*(?:{_UNIT})\b)", re.I)


@dataclass(frozen=True)
class Amount:
    """An amount an ask states: its measure, its value in the measure's base unit, and whether a product's
    feature must be at least (min) or at most (max) that; `said` is how the ask put it ("4 people")."""

    measure: str
    value: float
    bound: Bound
    said: str


def _number(raw: str) -> float:
    return float(_COUNTS.get(raw.lower(), raw) if raw.lower() in _COUNTS else raw)


def stated_amounts(ask: str) -> list[Amount]:
    """The amounts of `ask` a product's features can be held to, in the order written."""
    found: list[tuple[int, Amount]] = []
    for m in _AMOUNT.finditer(ask):
        unit = _INCH if m.group("inch") else _UNITS[m.group("unit").lower()]
        if m.group("number").startswith("-") and unit.measure != "temperature":
            continue
        words = (m.group("bound") or m.group("after") or m.group("plus") or "").strip().lower()
        # "nothing bigger than 30 litres" sets an upper bound, as "no more than" does
        below = (re.search(_MAX_WORDS + r"|less|fewer|under", words) is not None) != bool(m.group("negated"))
        bound: Bound = "max" if below else "min" if words else "max" if unit.measure in _FROM_ABOVE else "min"
        value = _number(m.group("number")) * unit.factor
        written = unit.shown if unit.measure == "people" else m.group("unit") or "in"  # "4-person": 4 people
        found.append((m.start(), Amount(unit.measure, value, bound, f"{m.group('number')} {written}")))
    for m in _HEADCOUNT.finditer(ask):
        found.append((m.start(), Amount("people", _number(m.group("number")), "min", f"{m.group('number')} people")))
    return [amount for _, amount in sorted(found, key=lambda pair: pair[0])]


# A person's age ("a 10 yo", "my 7-year-old", "for a 12 year old"): who a thing is for, no amount of a feature.
_AGE = re.compile(r"\b\d{1,2}\s*-?\s*(?:yo|y/o|yrs?\s*old|years?\s*-?\s*olds?)\b", re.IGNORECASE)


@lru_cache(maxsize=2048)
def amount_spans(ask: str) -> tuple[tuple[int, int], ...]:
    """Where the amounts of `ask` are written."""
    return tuple(sorted(m.span() for pattern in (_AMOUNT, _HEADCOUNT) for m in pattern.finditer(ask)))


def age_spans(ask: str) -> tuple[tuple[int, int], ...]:
    """Where `ask` gives a person's age ("gift for a 10 yo"): who a thing is for, words no product's text holds."""
    return tuple(m.span() for m in _AGE.finditer(ask))


def without_amounts(ask: str) -> str:
    """`ask` without the amounts it states ("at least 35 hours" says no "least" of anything)."""
    return _HEADCOUNT.sub(" ", _AMOUNT.sub(" ", ask))


def _feature_unit(key: str) -> tuple[_Unit, str] | None:
    """The unit a feature's name ends with and the words before it ("weight_g_each" -> g, "weight")."""
    parts = key.lower().split("_")
    for i in range(len(parts) - 1, -1, -1):
        if (unit := _UNITS.get(parts[i]) or (_INCH if parts[i] == "in" else None)) is not None:
            return unit, " ".join(parts[:i]) or parts[i]
    return None


@dataclass(frozen=True)
class _Reading:
    """One product's feature of the measure an amount is stated in."""

    record: dict[str, Any]
    name: str
    value: float
    unit: _Unit

    @property
    def base(self) -> float:
        return self.value * self.unit.factor

    def shown(self) -> str:
        name = "" if self.name == self.unit.shown else f"{self.name}: "
        return f"{name}{self.value:g} {self.unit.shown}".replace(" °", "°")

    def label(self) -> str:
        code = f" ({self.record['sku']})" if "sku" in self.record else ""
        return f"the {self.record.get('name')}{code}, {self.shown()}"


def _reading(record: dict[str, Any], amount: Amount, asked: set[str]) -> _Reading | None:
    """The record's feature in the amount's measure; of several, the one whose name the ask says."""
    features = record.get("attributes")
    readings = []
    for key, value in features.items() if isinstance(features, dict) else ():
        found = _feature_unit(key)
        if found is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        unit, name = found
        if unit.measure == amount.measure:
            readings.append(_Reading(record, name, float(value), unit))
    said = [r for r in readings if {stem(w) for w in r.name.split()} & asked]
    return next(iter(said or readings), None)


def _meets(reading: _Reading, amount: Amount) -> bool:
    return reading.base >= amount.value - 1e-9 if amount.bound == "min" else reading.base <= amount.value + 1e-9


def _products(result: Any) -> list[dict[str, Any]]:
    """The products a result lists or tells of."""
    data = parse_result(result)
    if isinstance(data, dict) and isinstance(data.get("attributes"), dict):
        return [data]
    for value in data.values() if isinstance(data, dict) else ():
        if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
            return [r for r in value if isinstance(r.get("attributes"), dict)]
    return []


def fails_need(ask: str, result: Any) -> bool:
    """The one product `result` tells of has a feature the ask states an amount for, and misses it."""
    products = _products(result)
    asked = {stem(w.lower()) for w in re.findall(r"[a-z]+", ask.lower())}
    if len(products) != 1:
        return False
    readings = [(a, _reading(products[0], a, asked)) for a in stated_amounts(ask)]
    return any(r is not None and not _meets(r, a) for a, r in readings)


def _need(amount: Amount) -> str:
    return f"{amount.said} or {'more' if amount.bound == 'min' else 'less'}"


def measured_answer(ask: str, results: Sequence[Any]) -> str | None:
    """ "For 4 people or more: the TrailPeak 4 Family Tent (OUT-301), capacity: 4 people." for products this
    turn's results list and an amount the ask states; when none meets it, that none does and the nearest.
    None when the ask states no amount the products' features measure."""
    asked = {stem(w.lower()) for w in re.findall(r"[a-z]+", ask.lower())}
    amounts = stated_amounts(ask)
    for products in (_products(result) for result in results):
        told = []
        for amount in amounts:
            readings = [r for r in (_reading(p, amount, asked) for p in products) if r is not None]
            if not readings:
                continue
            meeting = [r for r in readings if _meets(r, amount)]
            if meeting:
                told.append(f"For {_need(amount)}: {'; '.join(r.label() for r in meeting)}.")
            else:
                nearest = min(readings, key=lambda r: abs(r.base - amount.value))
                told.append(f"None of these has {_need(amount)}; the nearest is {nearest.label()}.")
        if told:
            return " ".join(told)
    return None
