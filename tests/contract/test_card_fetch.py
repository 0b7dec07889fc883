"""The card fetch: once per specialist at start, its description becomes the handoff tool's prompt."""

from agents.definitions import get_definition

PD = "product-discovery"


async def test_cards_are_fetched_once_and_unreachable_specialists_are_left_out(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    assert r.specialists[PD].card_fetches == 1
    assert r.service.mesh.participant_names == ["orchestrator", PD, "inventory-fulfillment"]
    assert set(r.service.directory.unreachable) == {"order-management", "pricing-promotions", "review-sentiment"}

    first = await r.say("show me tents")
    await r.say("and sleeping bags?", first["conversation_id"])
    assert r.specialists[PD].card_fetches == 1, "the card is cached, not fetched per call"


async def test_the_card_description_is_the_handoff_tool_description(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    await r.say("show me tents")
    offered = r.model.calls[0]["tools"]
    assert f"handoff_to_{PD}" in offered and "handoff_to_inventory-fulfillment" in offered
    proxy = next(a for a in r.service.mesh.specialists if a.name == PD)
    assert proxy.description == get_definition(PD).description
