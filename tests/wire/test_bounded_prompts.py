"""Prompts stop growing: every agent's window of a long conversation is bounded by a token budget."""

from statistics import mean

import pytest

from tests.support.chat_double.wire import prompt_tokens
from tests.wire.conftest import ORDERS, STOCK, WireSystem

ASKS = {
    ORDERS: [
        "Where is my order ORD-1001?",
        "What is the tracking number of that order?",
        "Has order ORD-1003 shipped?",
        "Can you list all my orders?",
        "What is in order ORD-1002?",
    ],
    STOCK: ["Is the TrailPeak 2 tent in stock?", "Can the tent ship to eu-central?"],
}


# A small budget, so the scripted agents' short answers reach it within a few turns.
pytestmark = pytest.mark.parametrize("settings_overrides", [{"agent_window_tokens": 300}])


def per_turn(wire: WireSystem, agent: str, marks: list[int]) -> list[float]:
    """Mean prompt tokens of `agent`'s model calls in each turn (`marks`: request counts at each turn's end)."""
    requests = wire.double.requests
    figures, start = [], 0
    for end in marks:
        sizes = [prompt_tokens(r.body) for r in requests[start:end] if r.agent == agent]
        if sizes:
            figures.append(mean(sizes))
        start = end
    return figures


def flat(series: list[float]) -> float:
    """Turns 16-20 over turns 6-10 (1.0 = flat)."""
    return mean(series[-5:]) / mean(series[5:10])


async def play(wire: WireSystem, asks: list[str]) -> list[int]:
    conversation_id, marks = None, []
    for ask in asks:
        answer = await wire.ask(ask, conversation_id)
        assert answer.status_code == 200, answer.text
        conversation_id = answer.json()["conversation_id"]
        marks.append(len(wire.double.requests))
    return marks


async def test_a_specialist_prompt_stops_growing_over_twenty_same_domain_turns(wire: WireSystem) -> None:
    marks = await play(wire, ASKS[ORDERS] * 4)
    series = per_turn(wire, ORDERS, marks)
    assert len(series) == 20
    assert flat(series) <= 1.1, series
    assert wire.violations() == []


async def test_every_prompt_stops_growing_when_the_floor_moves_every_turn(wire: WireSystem) -> None:
    asks = [a for pair in zip(ASKS[ORDERS] * 2, ASKS[STOCK] * 5, strict=True) for a in pair]
    marks = await play(wire, asks)
    for agent in ("orchestrator", ORDERS, STOCK):
        series = per_turn(wire, agent, marks)
        assert len(series) >= 15, (agent, series)
        assert flat(series) <= 1.1, (agent, series)
    assert wire.violations() == []
