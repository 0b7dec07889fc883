"""The development set: natural shopper conversations with the agent expected to answer and the facts it must state.

Two parts live next to this module: `tuning.yaml` (read while improving the offline model) and
`heldout.yaml` (written once and only ever scored). A turn's `facts` are strings from the seed that the
reply must contain; an item that is a list is satisfied by any one of its strings. `absent` lists text
the reply must not contain (raw field dumps). `expect` is an agent name or a list of acceptable ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
PARTS = ("tuning", "heldout")

Fact = tuple[str, ...]  # alternatives: any one of them satisfies the fact


@dataclass(frozen=True)
class Turn:
    """One shopper message and what a good reply is."""

    say: str
    expect: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    absent: tuple[str, ...] = ()

    @property
    def checks_facts(self) -> bool:
        """Whether the reply's content is checked at all (small talk often is not)."""
        return bool(self.facts or self.absent)


@dataclass(frozen=True)
class Conversation:
    """A small conversation, signed in as `customer` or anonymous."""

    id: str
    turns: tuple[Turn, ...]
    customer: str | None = None


def _as_tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _turn(raw: dict) -> Turn:
    return Turn(
        say=str(raw["say"]),
        expect=_as_tuple(raw["expect"]),
        facts=tuple(_as_tuple(f) for f in raw.get("facts") or ()),
        absent=tuple(str(a) for a in raw.get("absent") or ()),
    )


@cache
def load(part: str) -> tuple[Conversation, ...]:
    """The conversations of one part (`tuning` or `heldout`)."""
    raw = yaml.safe_load((HERE / f"{part}.yaml").read_text(encoding="utf-8"))
    return tuple(
        Conversation(str(c["id"]), tuple(_turn(t) for t in c["turns"]), c.get("customer")) for c in raw["conversations"]
    )


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _normal(text: str) -> str:
    return _THOUSANDS.sub("", text).casefold()


def _renderings(fact: str) -> list[str]:
    """Ways a reply may state `fact`: a date also as "November 21" or "Nov 21"."""
    found = [fact]
    if m := _ISO_DATE.match(fact):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        for month in (day.strftime("%B"), day.strftime("%b")):
            found += [f"{month} {day.day}", f"{day.day} {month}"]
    return found


def states(reply: str, fact: Fact) -> bool:
    """Whether `reply` states one of the alternatives of `fact` (case and thousands separators aside)."""
    text = _normal(reply)
    return any(_normal(r) in text for alternative in fact for r in _renderings(alternative))


def facts_ok(turn: Turn, reply: str) -> bool:
    """Every fact stated and nothing that must be absent present."""
    text = _normal(reply)
    return all(states(reply, f) for f in turn.facts) and not any(_normal(a) in text for a in turn.absent)
