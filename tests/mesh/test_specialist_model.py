"""What a specialist's real model may do, on the OpenAI wire against the strict double.

Each test scripts what a specialist's model does once (the test model decides everything else) and
checks that the conversation goes on and that no request the system sends breaks the API's rules (the
`model_backend` fixture fails a test whose requests the double rejected). The orchestrator's routing
shapes, long same-domain runs and its provider errors are in `tests/wire/`.
"""

from __future__ import annotations

import pytest

from tests.support.asks import INV, ORD, SHOPPER_ASKS, TENT, stock_facts
from tests.support.backends import Backend, on_test_model_wire
from tests.support.chat_double import (
    Answer,
    Policy,
    call,
    calls,
    per_agent,
    rate_limited,
    scripted,
    server_error,
)
from tests.support.schema_model import Ask, TestModel
from tests.support.system import System

pytestmark = on_test_model_wire
STOCK_ASK = "Is the Ridge 45L Hiking Backpack in stock?"
STOCK_AND_RESTOCK = "Is the TrailPeak 2 tent in stock, and when is it restocked?"


@pytest.fixture
def test_model() -> TestModel:
    both = Ask(INV, {"check_stock": {"product": TENT}, "get_next_restock": {"product": TENT}})
    return TestModel({**SHOPPER_ASKS, STOCK_AND_RESTOCK: both})


def once(backend: Backend, agent: str, *answers: Answer) -> None:
    """`agent`'s model answers `answers` on its next calls; then, like every other agent, the test model."""
    brain: Policy = backend.double.policy  # type: ignore[union-attr]
    backend.play(per_agent({agent: scripted(*answers, then=brain)}, default=brain))


async def converse(system: System, *asks: str, customer: str | None = "CUST-001") -> list[dict]:
    """Send `asks` in one conversation; each must be answered (200)."""
    answers: list[dict] = []
    conversation = None
    for ask in asks:
        response = await system.chat(ask, conversation, customer)
        assert response.status_code == 200, (ask, response.text)
        answers.append(response.json())
        conversation = answers[-1]["conversation_id"]
    return answers


async def test_text_and_a_tool_call_in_one_message(system, model_backend):
    once(model_backend, INV, call("check_stock", {"product": "OUT-300"}, content="Let me check the stock."))
    answers = await converse(system, "Is the TrailPeak 2 tent in stock?", "Can it ship to eu-central?")
    assert all(fact in answers[0]["reply"] for fact in await stock_facts(system.specialists.store, "OUT-300"))
    assert answers[1]["agent"] == INV


async def test_two_tool_calls_in_one_message(system, model_backend):
    stock_and_restock = calls(("check_stock", {"product": "OUT-300"}), ("get_next_restock", {"product": "OUT-300"}))
    once(model_backend, INV, stock_and_restock)
    answers = await converse(system, STOCK_AND_RESTOCK, "thanks")
    assert answers[0]["agent"] == INV


async def test_a_handoff_together_with_a_domain_tool(system, model_backend):
    await converse(system, "Is the TrailPeak 2 tent in stock?")
    once(model_backend, INV, calls(("check_stock", {"product": "OUT-300"}), "handoff_to_orchestrator"))
    answers = await converse(system, "Is the TrailPeak 2 tent in stock?", "Where is my order ORD-1001?")
    assert answers[-1]["agent"] == ORD


async def test_a_throttled_specialist_call_is_retried_and_the_turn_succeeds(system, model_backend):
    first = (await converse(system, "Where is my order ORD-1001?"))[0]
    model_backend.double.fail_next(rate_limited(0.1), agent=INV)
    answer = await system.chat(STOCK_ASK, first["conversation_id"], "CUST-001")
    assert answer.status_code == 200, answer.text
    assert all(fact in answer.json()["reply"] for fact in await stock_facts(system.specialists.store, "OUT-303"))
    assert [r.agent for r in model_backend.double.faulted] == [INV]


async def test_a_specialist_whose_provider_keeps_failing_apologises_and_the_next_turn_works(system, model_backend):
    first = (await converse(system, "Where is my order ORD-1001?"))[0]
    model_backend.double.fail_next(server_error(), times=10, agent=INV)
    apology = await system.chat(STOCK_ASK, first["conversation_id"], "CUST-001")
    assert apology.status_code == 200, apology.text
    assert "try again" in apology.json()["reply"]
    attempts = 1 + system.specialists.settings.model_max_retries
    assert [r.agent for r in model_backend.double.faulted] == [INV] * attempts, "a bounded retry"
    model_backend.double.clear_faults()
    after = await system.chat(STOCK_ASK, first["conversation_id"], "CUST-001")
    assert after.status_code == 200, after.text
    assert all(fact in after.json()["reply"] for fact in await stock_facts(system.specialists.store, "OUT-303"))
