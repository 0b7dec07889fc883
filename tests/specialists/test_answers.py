"""SendMessage and SendStreamingMessage answer real asks with facts from the store.

The first test is the specialists' smoke test on the offline model (the product's default); the others
run on the test model, which decides who owns an ask and what to call, so they prove the service.
"""

import pytest

from agents.definitions import ORCHESTRATOR
from agents.handoff_extension import HandoffTarget, targets_metadata
from specialists.host.sessions import SessionStore
from specialists.store import orders
from tests.support.asks import INV, ORD, REV, TENT, stock_facts, tracking_number
from tests.support.backends import on_test_model_in_process

BACK = targets_metadata([HandoffTarget("orchestrator", ORCHESTRATOR.description)])


@pytest.mark.parametrize("streaming", [True, False])
async def test_stock_of_out_300(peer, streaming):
    reply = await peer("inventory-fulfillment", streaming).send("Is OUT-300 in stock?", metadata=BACK)
    assert reply["state"] == "TASK_STATE_COMPLETED"
    assert "3" in reply["text"] and "WH-WEST" in reply["text"]
    assert "handoff" not in reply["metadata"]


@on_test_model_in_process
async def test_streaming_sends_the_answer_then_completes(peer, specialists):
    reply = await peer(INV).send("Is the TrailPeak 2 tent in stock?", metadata=BACK)
    assert reply["kinds"][0] == "task"
    assert reply["kinds"].count("artifact_update") >= 1
    assert reply["kinds"][-1] == "status_update"
    usage = reply["metadata"]["usage"]
    assert usage["llm_calls"] >= 2 and usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert all(fact in reply["text"] for fact in await stock_facts(specialists.store, TENT))


@on_test_model_in_process
async def test_order_1001_tracking_for_its_owner(peer, specialists):
    reply = await peer(ORD).send("Where is my order ORD-1001?", customer="CUST-001", metadata=BACK)
    assert reply["state"] == "TASK_STATE_COMPLETED"
    tracked = await orders.track_order(specialists.store, "CUST-001", "ORD-1001")
    assert tracked is not None and tracked["status"] in reply["text"]
    assert await tracking_number(specialists.store, "CUST-001", "ORD-1001") in reply["text"]


@on_test_model_in_process
async def test_a_follow_up_in_the_same_context_sees_the_first_turn(peer, model_backend):
    inventory = peer(INV)
    first = await inventory.send("Is the TrailPeak 2 tent in stock?", metadata=BACK)
    second = await inventory.send("Can it ship to eu-central?", context_id=first["context_id"], metadata=BACK)
    assert second["context_id"] == first["context_id"]
    assert "eu-central" in second["text"]
    assert "Is the TrailPeak 2 tent in stock?" in model_backend.last_prompt(INV), "the model saw the first turn"
    other = await inventory.send("Can it ship to us-east?", metadata=BACK)
    assert "Is the TrailPeak 2 tent in stock?" not in model_backend.last_prompt(INV), "a new context starts empty"
    assert other["context_id"] != first["context_id"]


@on_test_model_in_process
async def test_only_a_message_naming_its_context_reads_the_session(peer, monkeypatch):
    reads: list[str] = []
    load = SessionStore.load

    async def counted(self, context_id, *args):  # type: ignore[no-untyped-def]
        reads.append(context_id)
        return await load(self, context_id, *args)

    monkeypatch.setattr(SessionStore, "load", counted)
    inventory = peer(INV)
    first = await inventory.send("Is the TrailPeak 2 tent in stock?", metadata=BACK)
    assert reads == [], "the context id was made for the message: nothing is stored under it"
    await inventory.send("Can it ship to eu-central?", context_id=first["context_id"], metadata=BACK)
    assert reads == [first["context_id"]]


@on_test_model_in_process
async def test_out_of_domain_ask_hands_back_without_pretending(peer):
    reply = await peer(ORD).send("Is the TrailPeak 2 tent in stock?", customer="CUST-001", metadata=BACK)
    assert reply["state"] == "TASK_STATE_COMPLETED"
    assert reply["metadata"]["handoff"]["target"] == "orchestrator"
    assert "stock" not in reply["text"].lower() and "WH-" not in reply["text"]


@on_test_model_in_process
async def test_without_targets_an_out_of_domain_ask_is_declined_not_answered(peer, model_backend):
    reply = await peer(REV).send("Where is my order ORD-1001?", customer="CUST-001")
    offered = model_backend.models[REV].calls[-1]["tools"]
    assert offered and not [t for t in offered if t.startswith("handoff_to_")], "no handoff without targets"
    assert "handoff" not in reply["metadata"]
    assert "PA1001347044" not in reply["text"]
