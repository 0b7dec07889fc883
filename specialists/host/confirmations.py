"""The confirmation policy: what the shopper's reply means for the action waiting for their yes.

An action that changes the store (cancelling an order) is proposed in one turn and runs only if the
next reply is an unambiguous yes to that very action. The reply is read as a whole, word by word:
a yes has an affirmative ("yes", "sure", "go ahead", a thumbs-up) or names the action ("cancel it",
"cancel ORD-1003"), and every other word is politeness or refers to the pending action. A negation,
a hedge, a question, another order or any word outside that vocabulary makes it something else:

- `CONFIRM`: run the action;
- `HOLD`: a hedge, a question, a mixed or contradictory reply, or a yes about something else: nothing
  runs, the action stays pending and the shopper is told how to confirm it;
- `DECLINE`: a plain no: the action is dropped and the shopper told so;
- `MOVE_ON`: the shopper asks for something else: the action is dropped, the shopper told so, and
  the message is answered normally.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

ActionHandler = Callable[[str | None, Mapping[str, Any]], Awaitable[dict[str, Any]]]


class Verdict(Enum):
    """What a reply does to the pending action."""

    CONFIRM = auto()
    HOLD = auto()
    DECLINE = auto()
    MOVE_ON = auto()


@dataclass(frozen=True)
class Decision:
    """The verdict on a reply and what the shopper is told about the pending action (empty on CONFIRM)."""

    verdict: Verdict
    message: str = ""

    @property
    def keeps_pending(self) -> bool:
        """The action still waits for a yes."""
        return self.verdict is Verdict.HOLD

    @property
    def answers_normally(self) -> bool:
        """After the message, the reply is answered as any other message."""
        return self.verdict is Verdict.MOVE_ON


@dataclass(frozen=True)
class ActionWording:
    """How the shopper names an action type and how we speak of it."""

    verbs: frozenset[str]  # words naming the action ("cancel", "cancelled", ...)
    done: str  # past participle for "I haven't <done> ..."
    imperative: str  # for "Say 'yes, <imperative> <order>'"; empty: "Say 'yes'"


class _Kind(Enum):
    YES = auto()
    NO = auto()
    HEDGE = auto()
    QUESTION = auto()
    FILLER = auto()
    OBJECT = auto()  # refers to the pending action's subject ("it", "the order", its id)
    ACTION = auto()
    UNKNOWN = auto()


def _squeeze(word: str) -> str:
    """Runs of one letter collapsed ("yesss" -> "yes", "nooo" -> "no", "pleeease" -> "please")."""
    return re.sub(r"([a-z])\1+", r"\1", word)


def _words(text: str) -> frozenset[str]:
    """The words of `text`, squeezed."""
    return frozenset(_squeeze(w) for w in text.split())


_GENERIC = ActionWording(frozenset(), "done", "")
WORDINGS: dict[str, ActionWording] = {
    "cancel_order": ActionWording(
        _words("cancel cancle canceled cancelled canceling cancelling cancelation cancellation"), "cancelled", "cancel"
    ),
}

_SINGLE: dict[str, _Kind] = {}
for _kind, _vocabulary in (
    (
        _Kind.YES,
        "yes yse ye yea yeah yeh yah ya yas yep yup y sure ok okay okey k alright absolutely definitely "
        "certainly confirm confirmed affirmative proceed indeed",
    ),
    (_Kind.NO, "no nope nah n not don't dont never keep stop nevermind negative won't wont"),
    (
        _Kind.HEDGE,
        "wait hold hang maybe perhaps possibly probably hm hmm um uh er erm idk unsure later first but "
        "actually really if unless though although except before yet sec second minute moment think",
    ),
    (_Kind.QUESTION, "what what's whats why how when where which who huh eh pardon"),
    (
        _Kind.FILLER,
        "please pls plz thanks thank thx ty you i i'm im am want wanna would like to that this the my a an "
        "and now right away asap just do can so be is oh great good perfect cool awesome thing go ahead "
        "that's thats let's lets all then for me get have kindly",
    ),
    (_Kind.OBJECT, "it order one"),
):
    for _word in _words(_vocabulary):
        _SINGLE[_word] = _kind

# Phrases read as one word, longest first: "not sure" is a hedge, not a no; "go ahead" is a yes.
_PHRASES: list[tuple[tuple[str, ...], _Kind]] = sorted(
    (
        (tuple(_squeeze(w) for w in phrase.split()), kind)
        for kind, phrases in (
            (_Kind.YES, ("go ahead", "do it", "please do", "of course", "go for it", "sounds good", "make it so")),
            (_Kind.YES, ("by all means", "all right")),
            (_Kind.NO, ("don't do it", "do not do it", "do not", "never mind", "forget it", "leave it")),
            (_Kind.NO, ("changed my mind",)),
            (_Kind.NO, ("no way", "not really")),
            (_Kind.HEDGE, ("not sure", "not yet", "not now", "not right now", "i guess", "i think", "why not")),
            (_Kind.HEDGE, ("let me think", "one sec", "one second", "one moment", "hold on", "hang on")),
            (_Kind.FILLER, ("no problem", "no worries")),
        )
        for phrase in phrases
    ),
    key=lambda item: -len(item[0]),
)

_YES_EMOJI = ("THUMBS UP", "OK HAND", "CHECK MARK", "BALLOT BOX WITH CHECK")
_NO_EMOJI = ("THUMBS DOWN", "CROSS MARK", "NO GOOD", "GESTURING NO", "OCTAGONAL SIGN", "NO ENTRY")
_HEDGE_EMOJI = ("THINKING", "CONFUSED", "WORRIED", "EYEBROW", "HOURGLASS", "RAISED HAND", "SHRUG")
_ORDER_ID = re.compile(r"(?:\bord\s*-?\s*|#)(\d+)\b|\b(\d{4,})\b")
_PENDING_ORDER, _OTHER_ORDER = "\x01", "\x02"  # what an order id in the reply becomes: one token
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|\.\.\.|\S")


def _symbol_kind(char: str) -> _Kind | None:
    """A character that is not a word: "?" asks, an emoji means what its Unicode name says, punctuation,
    modifiers and joiners mean nothing alone, anything else (a letter of another script) is unknown."""
    if char in "?¿":
        return _Kind.QUESTION
    if char == "…":
        return _Kind.HEDGE
    category = unicodedata.category(char)
    if category[0] == "P" or category in ("Mn", "Me", "Cf", "Sk"):
        return None
    name = unicodedata.name(char, "")
    for marks, kind in ((_YES_EMOJI, _Kind.YES), (_NO_EMOJI, _Kind.NO), (_HEDGE_EMOJI, _Kind.HEDGE)):
        if any(mark in name for mark in marks):
            return kind
    return _Kind.FILLER if category == "So" else _Kind.UNKNOWN


def _kinds(text: str, action: Mapping[str, Any], wording: ActionWording) -> list[_Kind]:
    """The reply as a sequence of word kinds."""
    pending_id = str(action.get("order_id") or "").lower()
    pending_number = pending_id.rsplit("-", 1)[-1]
    normalized = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("`", "'")

    def order_ref(match: re.Match[str]) -> str:
        number = match.group(1) or match.group(2)
        return f" {_PENDING_ORDER if pending_number and number == pending_number else _OTHER_ORDER} "

    normalized = _ORDER_ID.sub(order_ref, normalized)
    words = [_squeeze(t) for t in _TOKEN.findall(normalized)]
    kinds: list[_Kind] = []
    i = 0
    while i < len(words):
        for phrase, kind in _PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                kinds.append(kind)
                i += len(phrase)
                break
        else:
            found = _word_kind(words[i], wording)
            if found is not None:
                kinds.append(found)
            i += 1
    return kinds


def _word_kind(word: str, wording: ActionWording) -> _Kind | None:
    if word == _PENDING_ORDER:
        return _Kind.OBJECT
    if word == _OTHER_ORDER:
        return _Kind.UNKNOWN
    if word == "...":
        return _Kind.HEDGE
    if word.isdigit():
        return _Kind.UNKNOWN
    if len(word) > 1 or "a" <= word <= "z":
        return _Kind.ACTION if word in wording.verbs else _SINGLE.get(word, _Kind.UNKNOWN)
    return _symbol_kind(word)


def decide(reply: str, action: Mapping[str, Any]) -> Decision:
    """What `reply` does to the pending `action` (a mapping with `type`, and `order_id` for orders)."""
    wording = WORDINGS.get(str(action.get("type")), _GENERIC)
    kinds = set(_kinds(reply, action, wording))
    yes, no, asks = _Kind.YES in kinds, _Kind.NO in kinds, _Kind.QUESTION in kinds
    hedges, other = _Kind.HEDGE in kinds, _Kind.UNKNOWN in kinds
    names_action = _Kind.ACTION in kinds and _Kind.OBJECT in kinds
    if (yes or names_action) and not (no or asks or hedges or other):
        return Decision(Verdict.CONFIRM)
    subject = str(action.get("order_id") or "that")
    if no and not yes and (other or not asks):  # a plain no, or a no followed by something else
        verdict = Verdict.MOVE_ON if other else Verdict.DECLINE
    elif not (yes or no or hedges) and other:  # a message about something else
        verdict = Verdict.MOVE_ON
    else:
        hint = f"yes, {wording.imperative} {subject}" if wording.imperative and action.get("order_id") else "yes"
        return Decision(Verdict.HOLD, f"I haven't {wording.done} {subject}. Say '{hint}' to confirm.")
    return Decision(verdict, f"OK, I haven't {wording.done} {subject}; it stays as it was.")
