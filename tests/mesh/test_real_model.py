"""Conversations a real model can produce, on the OpenAI wire against the strict double.

Each test scripts what one agent's model does once (the offline model decides everything else) and
checks that the conversation goes on and that no request the system sends breaks the API's rules
(the `model_backend` fixture fails a test whose requests the double rejected).
"""

from __future__ import annotations

import pytest

from orchestrator.bounds import LIMIT_MESSAGE
from tests.support.backends import Backend, openai_backend
from tests.support.chat_double import (
    Answer,
    Policy,
    bad_request,
    call,
    calls,
    per_agent,
    rate_limited,
    scripted,
    server_error,
)
from tests.support.system import System

pytestmark = openai_backend
ORD, INV, PD = "order-management", "inventory-fulfillment", "product-discovery"
ORDER_ASKS = (
    "Where is my order ORD-1001?",
    "and ORD-1002?",
    "What is in my order ORD-1001?",
    "When will ORD-1001 arrive?",
    "Which carrier ships ORD-1001?",
    "What is the tracking number of ORD-1001?",
    "Where is ORD-1002 now?",
    "Show me my orders",
    "What did ORD-1002 cost?",
    "and the status of ORD-1001?",
)
STOCK_ASK = "Is the Ridge 45L Hiking Backpack in stock?"


def once(backend: Backend, agent: str, *answers: Answer) -> None:
    """`agent`'s model answers `answers` on its next calls; then, like every other agent, the offline model."""
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


async def test_ten_same_domain_follow_ups_then_an_out_of_domain_ask(system):
    answers = await converse(system, *ORDER_ASKS, STOCK_ASK, "Is the TrailPeak 2 tent in stock?")
    assert all(a["agent"] == ORD for a in answers[: len(ORDER_ASKS)])
    assert answers[-2]["route"] == [ORD, "orchestrator", INV]
    assert answers[-1]["agent"] == INV


async def test_text_and_a_tool_call_in_one_message(system, model_backend):
    once(model_backend, INV, call("check_stock", {"product": "OUT-300"}, content="Let me check the stock."))
    answers = await converse(system, "Is the TrailPeak 2 tent in stock?", "Can it ship to eu-central?")
    assert "WH-WEST" in answers[0]["reply"]
    assert answers[1]["agent"] == INV


async def test_two_tool_calls_in_one_message(system, model_backend):
    stock_and_restock = calls(("check_stock", {"product": "OUT-300"}), ("get_next_restock", {"product": "OUT-300"}))
    once(model_backend, INV, stock_and_restock)
    answers = await converse(system, "Is the TrailPeak 2 tent in stock, and when is it restocked?", "thanks")
    assert answers[0]["agent"] == INV


async def test_a_handoff_called_with_arguments(system, model_backend):
    once(model_backend, "orchestrator", call(f"handoff_to_{INV}", {"reason": "a stock question"}))
    answers = await converse(system, "Is the TrailPeak 2 tent in stock?", "Can it ship to eu-central?")
    assert answers[0]["route"] == ["orchestrator", INV]


async def test_two_handoffs_in_one_message(system, model_backend):
    once(model_backend, "orchestrator", calls(f"handoff_to_{INV}", f"handoff_to_{PD}"))
    answers = await converse(system, "Is the TrailPeak 2 tent in stock?", "Where is my order ORD-1001?")
    assert answers[0]["reply"]
    assert answers[1]["agent"] == ORD


async def test_a_handoff_together_with_a_domain_tool(system, model_backend):
    await converse(system, "Is the TrailPeak 2 tent in stock?")
    once(model_backend, INV, calls(("check_stock", {"product": "OUT-300"}), "handoff_to_orchestrator"))
    answers = await converse(system, "Is the TrailPeak 2 tent in stock?", "Where is my order ORD-1001?")
    assert answers[-1]["agent"] == ORD


async def test_a_specialist_that_hands_back_with_text(system, model_backend):
    first = (await converse(system, "Where is my order ORD-1001?"))[0]
    once(model_backend, ORD, call("handoff_to_orchestrator", content="Stock is not mine to answer; passing you on."))
    second = await system.chat(STOCK_ASK, first["conversation_id"], "CUST-001")
    assert second.status_code == 200, second.text
    assert second.json()["route"] == [ORD, "orchestrator", INV]
    third = await system.chat("Where is my order ORD-1002?", first["conversation_id"], "CUST-001")
    assert third.status_code == 200 and third.json()["agent"] == ORD


async def test_a_model_that_insists_on_a_handoff_after_the_budget_refused(system, model_backend):
    always = scripted(call(f"handoff_to_{INV}"))
    brain = model_backend.double.policy
    model_backend.play(per_agent({"orchestrator": always, INV: scripted(call("handoff_to_orchestrator"))}, brain))
    first = await system.chat("Is the TrailPeak 2 tent in stock?", customer="CUST-001")
    assert first.status_code == 200, first.text
    assert LIMIT_MESSAGE in first.json()["reply"]
    model_backend.play(brain)
    await converse(system, "Where is my order ORD-1001?")
    again = await system.chat("Where is my order ORD-1001?", first.json()["conversation_id"], "CUST-001")
    assert again.status_code == 200, again.text


@pytest.mark.parametrize(
    ("fault", "times"),
    [(bad_request("This request was rejected by the provider."), 1), (rate_limited(0.1), 1), (server_error(), 10)],
    ids=["400", "429", "500-persisting"],
)  # fmt: skip
@pytest.mark.parametrize("agent", ["orchestrator", INV])
async def test_a_provider_error_mid_conversation_gives_a_clear_message_and_the_next_turn_works(
    system, model_backend, fault, times, agent
):
    first = (await converse(system, "Where is my order ORD-1001?"))[0]
    model_backend.double.fail_next(fault, times=times, agent=agent)
    failed = await system.chat(STOCK_ASK, first["conversation_id"], "CUST-001")
    faulted = model_backend.double.faulted
    assert {r.agent for r in faulted} == {agent}
    attempts = 1 + system.specialists.settings.model_max_retries
    if times < attempts and fault.error.status != 400:  # the SDK's bounded retry gets past it
        assert failed.status_code == 200, failed.text
        assert "OUT-303" in failed.json()["reply"] and len(faulted) == times
    else:  # a rejected request, or a fault that outlasts the retries: a clear message
        assert failed.status_code in (200, 503), failed.text
        assert "try again" in (failed.json().get("reply") or failed.json()["message"])
        assert len(faulted) == (1 if fault.error.status == 400 else attempts), "a bounded retry, none of a 400"
    model_backend.double.clear_faults()
    after = await system.chat("Is the TrailPeak 2 tent in stock?", first["conversation_id"], "CUST-001")
    assert after.status_code == 200, after.text
    assert "WH-WEST" in after.json()["reply"]
