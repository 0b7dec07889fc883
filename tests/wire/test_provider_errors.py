"""A provider that refuses, throttles or fails mid-conversation: a clear message, and the next turn works."""

import pytest

from tests.support.chat_double import bad_request, rate_limited, server_error
from tests.wire.conftest import ORDERS, STOCK, WireSystem

STOCK_ASK = "Is the TrailPeak 2 tent in stock?"


async def opened(wire: WireSystem) -> str:
    first = await wire.ask("Where is my order ORD-1001?")
    assert first.status_code == 200, first.text
    return first.json()["conversation_id"]


@pytest.mark.parametrize("fault", [rate_limited(retry_after=0), server_error(500), server_error(503)])
async def test_one_throttled_or_failed_call_is_retried_and_the_turn_succeeds(wire: WireSystem, fault) -> None:
    conversation_id = await opened(wire)
    before = len(wire.double.calls_of("orchestrator"))
    wire.double.fail_next(fault, agent="orchestrator")
    answer = await wire.ask(STOCK_ASK, conversation_id)
    assert answer.status_code == 200, answer.text
    assert answer.json()["agent"] == STOCK
    assert len(wire.double.calls_of("orchestrator")) == before + 2  # the failed call and its retry


async def test_a_provider_that_keeps_failing_gives_a_clear_message_and_the_next_turn_works(wire: WireSystem) -> None:
    conversation_id = await opened(wire)
    before = len(wire.double.calls_of("orchestrator"))
    wire.double.fail_next(server_error(500), times=3, agent="orchestrator")  # the call and both retries
    failed = await wire.ask(STOCK_ASK, conversation_id)
    assert failed.status_code == 503
    assert "try again" in failed.json()["message"]
    assert len(wire.double.calls_of("orchestrator")) == before + 3
    answer = await wire.ask(STOCK_ASK, conversation_id)
    assert answer.status_code == 200, answer.text
    assert answer.json()["agent"] == STOCK
    assert wire.violations() == []


async def test_a_rejected_request_is_not_retried_and_the_next_turn_works(wire: WireSystem) -> None:
    conversation_id = await opened(wire)
    before = len(wire.double.calls_of("orchestrator"))
    wire.double.fail_next(bad_request("The response was filtered.", code="content_filter"), agent="orchestrator")
    failed = await wire.ask(STOCK_ASK, conversation_id)
    assert failed.status_code == 503
    assert "try again" in failed.json()["message"]
    assert len(wire.double.calls_of("orchestrator")) == before + 1
    answer = await wire.ask(STOCK_ASK, conversation_id)
    assert answer.status_code == 200 and answer.json()["agent"] == STOCK
    transcript = (await wire.system.api.get(f"/api/conversations/{conversation_id}", headers=auth(wire))).json()
    assert [m["author"] for m in transcript["messages"]][-2:] == ["shopper", STOCK]


async def test_a_specialist_whose_provider_rejects_apologises_and_the_conversation_goes_on(wire: WireSystem) -> None:
    conversation_id = await opened(wire)
    wire.double.fail_next(bad_request("Invalid request."), agent=ORDERS)
    apology = await wire.ask("Has order ORD-1003 shipped?", conversation_id)
    assert apology.status_code == 200, apology.text
    assert "Sorry" in apology.json()["reply"]
    answer = await wire.ask("Has order ORD-1003 shipped?", conversation_id)
    assert answer.status_code == 200 and answer.json()["agent"] == ORDERS
    assert "Sorry" not in answer.json()["reply"]
    assert wire.violations() == []


def auth(wire: WireSystem) -> dict[str, str]:
    return {"authorization": f"Bearer {wire.system.shopper_token('CUST-001')}"}
