"""The confident first-pass router: a clear first ask goes to its specialist without an orchestrator model call.

The evidence is what the specialists publish about themselves: each one's routing description (minus
what it says it is not for) and its A2A skills (names, descriptions, tags, examples). An ask's words
are weighed by how few specialists use them (inverse document frequency), so "stock" speaks for
inventory while "product" speaks for no one. The router hands off only when one specialist's score
clears `MIN_SCORE` and the runner-up's stays under `margin` times it; otherwise the model decides, as
it always did. Scores depend on the text and the definitions only, so every process decides alike.

A wrong pick costs one hand-back over the back edge: the specialist hands the conversation back, and
the orchestrator's model routes it (the router only ever acts on an agent's first call, with no
history yet).

The decision is the orchestrator's model call, answered without a model: the handoff call is
persisted into the orchestrator's history exactly as MAF's per-call persistence would have (it is
the innermost chat middleware, so a middleware that answers itself skips it), and the handoff's
result then waits in the cache as after any handoff. The stored transcript stays valid.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agent_framework import (
    ChatContext,
    ChatMiddleware,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    InMemoryHistoryProvider,
    Message,
    ResponseStream,
)

from agents.definitions import ORCHESTRATOR, SPECIALISTS, AgentDefinition
from agents.handoff_extension import handoff_tool_target
from agents.maf_internals import HISTORY_SOURCE_ID
from agents.settings import Settings
from agents.telemetry import HANDOFF_TARGET, span
from orchestrator.run_context import current_mesh_run

MIN_SCORE = 2.5  # more than one word that only one specialist uses
MIN_SHARE = 0.3  # of the ask's words: an ask mostly of words no specialist publishes is the model's to read
ROUTER_MODEL = "first-pass-router"
REASON = "routed by the first-pass router"  # the handoff's reason on the turn's trace
ROUTE_SPAN = "first-pass route"
SCORE, RUNNER_UP = "ecommerce.first_pass.score", "ecommerce.first_pass.runner_up"

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_NOT_FOR = re.compile(r"\bNot for [^.]*\.?", re.IGNORECASE)
_ASIDE = re.compile(r"\([^)]*\)")  # a description's examples of what it covers ("the catalog carries ...")
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_CODE = re.compile(r"[a-z]{3,12}[0-9]{1,4}")  # letters then digits, as a coupon code is ("TRAIL20")
CODE_TERM = "@#"
_COMPOUND = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")  # "noise-cancelling", "side-by-side"
# A word capitalised inside a sentence: a word of a name ("the Aurora headphones").
_NAME = re.compile(r"(?<=[a-z] )[A-Z][a-z]+[A-Za-z]*\b")
_THE_SHOPPER = frozenset({"i", "i'd", "i'm", "we", "would"})
_WHO = frozenset({"people", "persons"})
_NUMBERS = frozenset({"one", "two", "three", "four", "five", "six"})
_WHOLE = frozenset({"pros", "cons"})  # "pros and cons", not "pro" as in "the Aurora Pro"
_PARTICLES = frozenset({"out", "up", "off", "over"})  # a verb before one is a phrasal verb: "running out", "show up"
_SUFFIXES = ("ments", "ment", "ings", "ing", "ers", "er", "ied", "ies", "ed", "es", "s", "y", "e")
_STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        "a about an and any are as at be by can could do does for from has have how i if in is it its look me of on "
        "one or our please so some that the their them there these this those to two us was we what when "
        "which who will with would you your "
        # Words that say which one is wanted, not whose question it is ("the cheapest tent", "the cheapest option"),
        # and words of when ("whats the weather like in paris today": no deals running today).
        "cheap cheaper cheapest today tonight tomorrow now",
    )
)


def terms(
    text: str, *, compounds: Mapping[str, str] | None = None, names: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The comparable words of `text`: lower case, stop words out, stemmed, an id's digits as "#" and a code of
    letters then digits as `CODE_TERM`. A word's sense is read from its neighbours: two words the specialists
    publish as one hyphenated compound are that compound ("noise cancelling" is "noise-cancelling", no
    cancellation), "pros" after a word of a published name is that name's plural ("the aurora pros"), and a
    verb before a particle is a phrasal verb, not the verb ("running out", "hasn't shown up")."""
    found = set()
    lowered = text.lower()
    if compounds:
        lowered = _spaced_compounds(tuple(compounds)).sub(lambda m: compounds[m.group()], lowered)
    said = _WORD.findall(lowered)
    for before, word, after in zip(["", *said], said, [*said[1:], ""], strict=False):
        if word in _STOP_WORDS or word in _THE_SHOPPER or (word == "like" and before in _THE_SHOPPER):
            continue  # "I'd like a tent": a wish, not what reviewers like
        if after in _PARTICLES:
            continue  # "running out of coffee beans" is no promotion running today
        if word in _WHO and (before.isdigit() or before in _NUMBERS):
            continue  # "a tent for 4 people": how many it is for, not what people say
        if _CODE.fullmatch(word):
            found.add(CODE_TERM)  # "TRAIL20", "WELCOME10": a code is known by its shape, not its letters
        elif any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
            found.add(re.sub(r"[0-9]+", "#", word))  # "ORD-1001" -> "ord-#"
        elif not word.isdigit():
            found.add(word if word in _WHOLE and before not in names else stem(word))
    return frozenset(found)


@lru_cache(maxsize=8)
def _spaced_compounds(spaced: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the compounds written with spaces, the longest first."""
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(spaced, key=len, reverse=True)) + r")\b")


def stem(word: str) -> str:
    """`word` without one inflection or derivation suffix ("delivered", "delivery" -> "deliver")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "shipp" -> "ship"
    return word


@dataclass(frozen=True)
class Pick:
    """A specialist's score for an ask; `confident` when it is the one the router would hand off to."""

    name: str
    score: float
    runner_up: float
    confident: bool


class RouteIndex:
    """Each specialist's published words, and their weights across the specialists."""

    def __init__(self, specialists: Sequence[AgentDefinition]) -> None:
        published = [part for d in specialists for part in _published(d)]
        self.compounds = {w.replace("-", " "): w for p in published for w in _COMPOUND.findall(p.lower())}
        self.names = frozenset(name.lower() for p in published for name in _NAME.findall(p))
        self.vocabulary = {d.name: self.terms(" ".join(_published(d))) for d in specialists}
        count = len(self.vocabulary)
        frequency: dict[str, int] = {}
        for words in self.vocabulary.values():
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        self.weight = {word: math.log(1 + count / n) for word, n in frequency.items()}
        self.identifiers = frozenset(word for word in frequency if "#" in word)

    def terms(self, text: str) -> frozenset[str]:
        """The comparable words of `text`, read with the compounds and names the specialists publish."""
        return terms(text, compounds=self.compounds, names=self.names)

    def scores(self, ask: str) -> dict[str, float]:
        """Every specialist's score for `ask`."""
        words = self.terms(ask)
        return {name: sum(self.weight[w] for w in words & vocabulary) for name, vocabulary in self.vocabulary.items()}

    def pick(self, ask: str, *, margin: float, among: Sequence[str] | None = None) -> Pick | None:
        """The best-scoring specialist (of `among`), confident when it clears `MIN_SCORE`, its words are
        `MIN_SHARE` of the ask's ("planning my first backpacking trip, where do i start?" shares only "my"
        and "where" with the orders desk), the ask holds no identifier only another specialist publishes the
        shape of ("can I use TRAIL20 on my next order?" is the model's to read) and the runner-up scores under
        `margin` times its score; None when no specialist's words occur at all."""
        scored = sorted(
            ((score, name) for name, score in self.scores(ask).items() if among is None or name in among),
            key=lambda pair: (-pair[0], pair[1]),
        )
        if not scored or scored[0][0] <= 0:
            return None
        best, name = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        words = self.terms(ask)
        shared = len(words & self.vocabulary[name]) >= MIN_SHARE * len(words)
        foreign = (words & self.identifiers) - self.vocabulary[name]
        confident = best >= MIN_SCORE and shared and not foreign and runner_up < margin * best
        return Pick(name, best, runner_up, confident and not self._asked_elsewhere(ask, name, among))

    def _asked_elsewhere(self, ask: str, name: str, among: Sequence[str] | None) -> bool:
        """Whether the question `ask` ends with speaks for another specialist than `name`: what comes before it
        sets the scene ("setting up a home office, need a standing desk + chair. any bundle?" asks for a bundle)."""
        sentences = [s for s in _SENTENCE.findall(ask) if s.strip()]
        if len(sentences) < 2 or not sentences[-1].rstrip().endswith("?"):
            return False
        scores = {n: s for n, s in self.scores(sentences[-1]).items() if among is None or n in among}
        return max(scores.values(), default=0.0) > scores.get(name, 0.0)


def _published(definition: AgentDefinition) -> list[str]:
    parts = [_ASIDE.sub(" ", _NOT_FOR.sub(" ", definition.description))]
    for skill in definition.skills:
        parts += [skill.name, skill.description, *skill.tags, *skill.examples]
    return parts


class FirstPassRouter(ChatMiddleware):
    """On the orchestrator: answers its first model call of a conversation with a handoff when the ask is clear.

    Only when the agent has no history yet, its input is one shopper message, the turn has its full
    handoff budget and the specialist's handoff tool is offered; everything else goes to the model.
    """

    def __init__(self, index: RouteIndex, *, margin: float) -> None:
        self.index = index
        self.margin = margin
        self._history = InMemoryHistoryProvider()  # the history MAF gives every mesh participant

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        """Hand off without a model call when confident; otherwise call the model."""
        decided = self._confident_pick(context)
        if decided is None:
            await call_next()
            return
        pick, tool = decided
        with span(ROUTE_SPAN, {HANDOFF_TARGET: pick.name, SCORE: pick.score, RUNNER_UP: pick.runner_up}):
            await self._hand_off(context, tool)

    async def _hand_off(self, context: ChatContext, tool: str) -> None:
        run = current_mesh_run()
        if run is not None:
            run.handoff_reasons[ORCHESTRATOR.name] = REASON
        response = ChatResponse(
            messages=[
                Message(
                    role="assistant",
                    contents=[Content.from_function_call(f"call_{uuid.uuid4().hex}", tool, arguments="{}")],
                )
            ],
            model=ROUTER_MODEL,
            finish_reason="tool_calls",
        )
        await self._persist(context, response)
        context.result = _as_stream(response) if context.stream else response

    def _confident_pick(self, context: ChatContext) -> tuple[Pick, str] | None:
        """The confident pick and its handoff tool's name, when the router may act on this call."""
        session = context.session
        run = current_mesh_run()
        if session is None or run is None or run.refused_handoffs or run.handoffs:
            return None
        if (session.state.get(HISTORY_SOURCE_ID) or {}).get("messages"):
            return None
        messages = list(context.messages)
        if len(messages) != 1 or messages[0].role != "user" or not messages[0].text.strip():
            return None
        offered = _offered_handoffs(context.options or {})
        pick = self.index.pick(messages[0].text, margin=self.margin, among=list(offered))
        return (pick, offered[pick.name]) if pick is not None and pick.confident else None

    async def _persist(self, context: ChatContext, response: ChatResponse) -> None:
        """Store the call's input and the decision in the agent's history, as MAF's per-call persistence does."""
        session = context.session
        assert session is not None
        await self._history.save_messages(
            session.session_id,
            [*context.messages, *response.messages],
            state=session.state.setdefault(HISTORY_SOURCE_ID, {}),
        )


def first_pass_router(settings: Settings) -> FirstPassRouter | None:
    """The router the settings ask for over the five specialists' definitions; None when it is switched off."""
    if not settings.first_pass_router:
        return None
    return FirstPassRouter(RouteIndex(SPECIALISTS), margin=settings.first_pass_router_margin)


def _offered_handoffs(options: Mapping[str, Any]) -> dict[str, str]:
    """The handoff tools offered in this call, by target ("inventory-fulfillment" -> its tool's name)."""
    offered: dict[str, str] = {}
    for tool in options.get("tools") or ():
        name = getattr(tool, "name", None)
        target = handoff_tool_target(name) if isinstance(name, str) else None
        if isinstance(name, str) and target is not None:
            offered[target] = name
    return offered


def _as_stream(response: ChatResponse) -> ResponseStream[ChatResponseUpdate, ChatResponse]:
    async def updates() -> AsyncIterator[ChatResponseUpdate]:
        message = response.messages[0]
        yield ChatResponseUpdate(
            contents=list(message.contents), role="assistant", model=ROUTER_MODEL, finish_reason="tool_calls"
        )

    return ResponseStream(updates(), finalizer=ChatResponse.from_updates)
