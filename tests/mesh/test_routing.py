"""Routing through the mesh: first asks, same-domain follow-ups, out-of-domain follow-ups."""

from tests.support.backends import all_backends, both_backends

PD, INV, ORD = "product-discovery", "inventory-fulfillment", "order-management"


@both_backends
async def test_a_product_ask_goes_orchestrator_to_product_discovery(system):
    answer = (await system.chat("Do you have noise-cancelling headphones under $200?")).json()
    assert answer["route"] == ["orchestrator", PD]
    assert answer["handoffs"] == [{"source": "orchestrator", "target": PD}]
    assert answer["agent"] == PD
    assert "AUD-100" in answer["reply"] or "Aurora" in answer["reply"]


@both_backends
async def test_a_same_domain_follow_up_goes_straight_to_the_specialist(system, model_backend):
    first = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    assert first["route"] == ["orchestrator", INV]
    orchestrator_calls = model_backend.model_calls(system, "orchestrator")
    second = (await system.chat("Can it ship to eu-central?", first["conversation_id"])).json()
    assert second["route"] == [INV]
    assert second["handoffs"] == []
    assert model_backend.model_calls(system, "orchestrator") == orchestrator_calls, "no orchestrator model call"
    assert "eu-central" in second["reply"]


@all_backends
async def test_an_out_of_domain_follow_up_goes_back_through_the_orchestrator(system):
    first = (await system.chat("Where is my order ORD-1001?", customer="CUST-001")).json()
    assert first["route"] == ["orchestrator", ORD]
    assert "PA1001347044" in first["reply"]
    second = (await system.chat("Is the TrailPeak 2 tent in stock?", first["conversation_id"], "CUST-001")).json()
    assert second["handoffs"] == [{"source": ORD, "target": "orchestrator"}, {"source": "orchestrator", "target": INV}]
    assert second["route"] == [ORD, "orchestrator", INV]
    assert "WH-WEST" in second["reply"]
