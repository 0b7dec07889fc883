"""Playing the scripted conversations through the setups and turning the measured turns into figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.conversations import KINDS, Conversation, Turn
from benchmarks.devset import states
from benchmarks.setups import Chat, Setup, TurnResult
from benchmarks.stats import growth, mean, percentile, slope

REPLY_CHARS = 400  # of each reply kept in the JSON, to check answers by eye


@dataclass(frozen=True)
class TurnRecord:
    """One scripted turn as one setup answered it."""

    conversation: str
    index: int
    turn: Turn
    result: TurnResult
    on_script: bool
    round: int = 0

    @property
    def key(self) -> tuple[int, str, int]:
        """Which scripted turn this is: round, conversation, position."""
        return self.round, self.conversation, self.index

    @property
    def answered(self) -> bool:
        """Ended `done` with a non-empty reply from the expected agent."""
        return self.result.ok and bool(self.result.reply.strip()) and self.result.agent == self.turn.expect

    @property
    def facts_found(self) -> bool:
        """Answered, and the reply states the facts the seed says it should (a date in any rendering)."""
        return self.answered and all(states(self.result.reply, (fact,)) for fact in self.turn.facts)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        r = self.result
        return {
            "round": self.round,
            "conversation": self.conversation,
            "turn": self.index + 1,
            "kind": self.turn.kind,
            "expect": self.turn.expect,
            "agent": r.agent,
            "route": r.route,
            "answered": self.answered,
            "facts_found": self.facts_found,
            "on_script": self.on_script,
            **r.usage.as_dict(),
            "latency_ms": round(r.latency_s * 1000, 2),
            "first_text_ms": None if r.first_text_s is None else round(r.first_text_s * 1000, 2),
            "bytes_sent": r.bytes_sent,
            "reply": r.reply[:REPLY_CHARS],
        }


async def play(setup: Setup, conversation: Conversation, turns: int | None = None, round_: int = 0) -> list[TurnRecord]:
    """Say the conversation's turns (the first `turns` of them) in a new chat, in order.

    A turn is on script while every earlier turn of the conversation was answered by the expected agent,
    so a follow-up tagged `same` really follows an answer in its domain.
    """
    chat = Chat(conversation.customer)
    records: list[TurnRecord] = []
    on_script = True
    for index, turn in enumerate(conversation.turns[:turns]):
        result = await setup.say(chat, turn.text)
        record = TurnRecord(conversation.id, index, turn, result, on_script, round_)
        on_script = on_script and record.answered
        records.append(record)
    return records


async def play_interleaved(
    setups: Sequence[Setup], conversations: Sequence[Conversation], *, turns: int | None = None, rounds: int = 1
) -> dict[str, list[TurnRecord]]:
    """Every conversation through every setup, `rounds` times, alternating setups per conversation so that
    drift on a noisy machine hits all setups alike."""
    records: dict[str, list[TurnRecord]] = {s.key: [] for s in setups}
    for round_ in range(rounds):
        for conversation in conversations:
            for setup in setups:
                records[setup.key] += await play(setup, conversation, turns, round_)
    return records


def answer_figures(records: Sequence[TurnRecord]) -> dict[str, Any]:
    """How many turns were answered (and stated the expected facts)."""
    total = len(records)
    answered = sum(r.answered for r in records)
    return {
        "turns": total,
        "answered": answered,
        "answered_rate": answered / total if total else None,
        "facts_found": sum(r.facts_found for r in records),
        "misses": [
            f"{r.conversation}#{r.index + 1}: {r.turn.expect} -> {r.result.agent}" for r in records if not r.answered
        ],
    }


def cost_figures(records: Sequence[TurnRecord]) -> dict[str, dict[str, Any]]:
    """Model calls and tokens per answered, on-script turn, by kind of turn."""
    figures: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        counted = [r for r in records if r.turn.kind == kind and r.on_script and r.answered]
        figures[kind] = {
            "turns": len(counted),
            "llm_calls": mean([r.result.usage.llm_calls for r in counted]),
            "max_llm_calls": max((r.result.usage.llm_calls for r in counted), default=None),
            "input_tokens": mean([r.result.usage.input_tokens for r in counted]),
            "output_tokens": mean([r.result.usage.output_tokens for r in counted]),
        }
    return figures


def latency_figures(records: Sequence[TurnRecord]) -> dict[str, Any]:
    """Latency per turn and time to the first streamed text, in milliseconds."""
    latency = [r.result.latency_s * 1000 for r in records if r.result.ok]
    first_text = [r.result.first_text_s * 1000 for r in records if r.result.first_text_s is not None]
    return {
        "turns": len(latency),
        "p50_ms": percentile(latency, 50),
        "p95_ms": percentile(latency, 95),
        "first_text_p50_ms": percentile(first_text, 50),
        "first_text_p95_ms": percentile(first_text, 95),
    }


def paired_difference_ms(slower: Sequence[TurnRecord], faster: Sequence[TurnRecord]) -> float | None:
    """Median of per-turn latency differences between two setups on the same scripted turns."""
    other = {r.key: r for r in faster if r.result.ok}
    diffs = [
        (r.result.latency_s - other[r.key].result.latency_s) * 1000 for r in slower if r.result.ok and r.key in other
    ]
    return percentile(diffs, 50)


def bytes_figures(records: Sequence[TurnRecord]) -> dict[str, Any]:
    """Request bytes sent to specialists per turn over one long conversation."""
    series = [r.result.bytes_sent for r in records]
    return {
        "per_turn": series,
        "mean": mean(series),
        "turns_6_10_mean": mean(series[5:10]),
        "turns_16_20_mean": mean(series[15:20]),
        "growth": growth(series),
        "slope_per_turn": slope(series),
    }
