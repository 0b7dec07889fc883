"""SendMessage and SendStreamingMessage answer real asks with facts from the store."""

import pytest

from agents.definitions import ORCHESTRATOR
from agents.handoff_extension import HandoffTarget, targets_metadata

BACK = targets_metadata([HandoffTarget("orchestrator", ORCHESTRATOR.description)])


@pytest.mark.parametrize("streaming", [True, False])
async def test_stock_of_out_300(peer, streaming):
    reply = await peer("inventory-fulfillment", streaming).send("Is OUT-300 in stock?", metadata=BACK)
    assert reply["state"] == "TASK_STATE_COMPLETED"
    assert "3" in reply["text"] and "WH-WEST" in reply["text"]
    assert "handoff" not in reply["metadata"]


async def test_streaming_sends_chunks_then_completes(peer):
    reply = await peer("inventory-fulfillment").send("Is the TrailPeak 2 tent in stock?", metadata=BACK)
    assert reply["kinds"][0] == "task"
    assert reply["kinds"].count("artifact_update") >= 2
    assert reply["kinds"][-1] == "status_update"
    usage = reply["metadata"]["usage"]
    assert usage["llm_calls"] >= 2 and usage["input_tokens"] > 0 and usage["output_tokens"] > 0


async def test_order_1001_tracking_for_its_owner(peer):
    reply = await peer("order-management").send("Where is my order ORD-1001?", customer="CUST-001", metadata=BACK)
    assert reply["state"] == "TASK_STATE_COMPLETED"
    assert "shipped" in reply["text"].lower()
    assert "PA1001347044" in reply["text"]


async def test_a_follow_up_in_the_same_context_sees_the_first_turn(peer):
    inventory = peer("inventory-fulfillment")
    first = await inventory.send("Is the TrailPeak 2 tent in stock?", metadata=BACK)
    second = await inventory.send("Can it ship to eu-central?", context_id=first["context_id"], metadata=BACK)
    assert second["context_id"] == first["context_id"]
    assert "eu-central" in second["text"]
    assert "OUT-300" in second["text"] or "TrailPeak" in second["text"]


async def test_out_of_domain_ask_hands_back_without_pretending(peer):
    reply = await peer("order-management").send("Is the TrailPeak 2 tent in stock?", customer="CUST-001", metadata=BACK)
    assert reply["state"] == "TASK_STATE_COMPLETED"
    assert reply["metadata"]["handoff"]["target"] == "orchestrator"
    assert "stock" not in reply["text"].lower() and "WH-" not in reply["text"]


async def test_without_targets_an_out_of_domain_ask_is_declined_not_answered(peer):
    reply = await peer("review-sentiment").send("Where is my order ORD-1001?", customer="CUST-001")
    assert "handoff" not in reply["metadata"]
    assert "PA1001347044" not in reply["text"]
