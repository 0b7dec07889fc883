"""Running the development set through the real system on the offline model, and scoring it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from benchmarks.devset import Conversation, Turn, facts_ok, load
from tests.support.system import System, running_system, system_settings


@dataclass(frozen=True)
class Outcome:
    """What the system answered to one turn and how it scores."""

    conversation: str
    turn: Turn
    agent: str | None
    reply: str
    route: tuple[str, ...] = ()

    @property
    def routed(self) -> bool:
        """The agent that answered is one of the expected ones."""
        return self.agent in self.turn.expect

    @property
    def stated(self) -> bool:
        """The reply states the expected facts (only meaningful when the turn checks facts)."""
        return facts_ok(self.turn, self.reply)


@dataclass
class Score:
    """One part's figures."""

    part: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def routing(self) -> tuple[int, int]:
        """(routed right, turns)."""
        return sum(o.routed for o in self.outcomes), len(self.outcomes)

    @property
    def facts(self) -> tuple[int, int]:
        """(facts right, turns that check facts)."""
        checked = [o for o in self.outcomes if o.turn.checks_facts]
        return sum(o.stated for o in checked), len(checked)

    def line(self) -> str:
        """`tuning: routing 98/100 (98.0%), facts 90/95 (94.7%)`."""

        def pct(pair: tuple[int, int]) -> str:
            return f"{pair[0]}/{pair[1]} ({100 * pair[0] / max(pair[1], 1):.1f}%)"

        return f"{self.part}: routing {pct(self.routing)}, facts {pct(self.facts)}"


async def _converse(system: System, conversation: Conversation) -> list[Outcome]:
    outcomes = []
    conversation_id = None
    for turn in conversation.turns:
        response = await system.chat(turn.say, conversation_id, conversation.customer)
        body = response.json() if response.status_code == 200 else {}
        conversation_id = body.get("conversation_id", conversation_id)
        reply = body.get("reply") or f"[HTTP {response.status_code}] {response.text[:200]}"
        outcomes.append(Outcome(conversation.id, turn, body.get("agent"), reply, tuple(body.get("route") or ())))
    return outcomes


async def score(parts: Sequence[str], only: str | None = None) -> list[Score]:
    """Run every conversation of `parts` on one fresh system (its own SQLite store) and score each part;
    with `only`, just the tuning conversation of that id."""
    logging.getLogger("orchestrator").setLevel(logging.ERROR)
    with TemporaryDirectory(prefix="devset-") as tmp:
        settings = system_settings(Path(tmp))
        async with running_system(settings) as system:
            scores = []
            for part in parts:
                result = Score(part)
                for conversation in load(part):
                    if only is not None and (part != "tuning" or conversation.id != only):
                        continue
                    result.outcomes += await _converse(system, conversation)
                scores.append(result)
            return scores
