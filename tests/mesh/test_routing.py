"""Routing through the mesh: first asks, same-domain follow-ups, out-of-domain follow-ups.

The test model decides who owns each ask, so these prove what the mesh does with a routing decision; the
last test also runs on the offline model (the product's default), in-process and on Azure's wire route
(`tests/api/test_chat.py` runs it on OpenAI's).
"""

from tests.support.asks import HEADPHONES, INV, ORD, PD, TENT, stock_facts, tracking_number
from tests.support.backends import every_model, on_test_model


@on_test_model
async def test_a_product_ask_goes_orchestrator_to_product_discovery(system):
    answer = (await system.chat("Do you have noise-cancelling headphones under $200?")).json()
    assert answer["route"] == ["orchestrator", PD]
    assert answer["handoffs"] == [{"source": "orchestrator", "target": PD}]
    assert answer["agent"] == PD
    assert HEADPHONES in answer["reply"], "the specialist answered from its tool's result"


@on_test_model
async def test_a_same_domain_follow_up_goes_straight_to_the_specialist(system, model_backend):
    first = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    assert first["route"] == ["orchestrator", INV]
    assert all(fact in first["reply"] for fact in await stock_facts(system.specialists.store, TENT))
    orchestrator_calls = model_backend.model_calls(system, "orchestrator")
    second = (await system.chat("Can it ship to eu-central?", first["conversation_id"])).json()
    assert second["route"] == [INV]
    assert second["handoffs"] == []
    assert model_backend.model_calls(system, "orchestrator") == orchestrator_calls, "no orchestrator model call"
    assert "eu-central" in second["reply"]


@every_model
async def test_an_out_of_domain_follow_up_goes_back_through_the_orchestrator(system):
    first = (await system.chat("Where is my order ORD-1001?", customer="CUST-001")).json()
    assert first["route"] == ["orchestrator", ORD]
    assert await tracking_number(system.specialists.store, "CUST-001", "ORD-1001") in first["reply"]
    second = (await system.chat("Is the TrailPeak 2 tent in stock?", first["conversation_id"], "CUST-001")).json()
    assert second["handoffs"] == [{"source": ORD, "target": "orchestrator"}, {"source": "orchestrator", "target": INV}]
    assert second["route"] == [ORD, "orchestrator", INV]
    assert all(fact in second["reply"] for fact in await stock_facts(system.specialists.store, TENT))
