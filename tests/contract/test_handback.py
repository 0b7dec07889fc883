"""A reply with `handoff` metadata fires the mesh's back edge: specialist -> orchestrator."""

from tests.contract.conftest import streamed_answer

PD, INV = "product-discovery", "inventory-fulfillment"
BACK = {"handoff": {"target": "orchestrator", "reason": "stock is not mine"}}


async def test_handoff_metadata_becomes_a_handoff_sent_event(rig):
    r = await rig([("call", f"handoff_to_{PD}"), ("call", f"handoff_to_{INV}")])
    r.specialists[PD].replies += [streamed_answer("Here are tents."), streamed_answer(metadata=BACK)]
    r.specialists[INV].replies.append(streamed_answer("3 units in WH-WEST."))
    first = await r.say("show me tents")
    second = await r.say("is the TrailPeak 2 in stock?", first["conversation_id"])
    handoffs = [e.data for e in second["events"] if e.kind == "handoff"]
    assert handoffs == [{"source": PD, "target": "orchestrator"}, {"source": "orchestrator", "target": INV}]
    assert second["route"] == [PD, "orchestrator", INV]
    assert second["reply"] == "3 units in WH-WEST."
    assert len(r.specialists[INV].requests) == 1


async def test_a_handoff_to_a_target_not_offered_is_ignored(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    stray = {"handoff": {"target": "billing", "reason": "?"}}
    r.specialists[PD].replies.append(streamed_answer("Not sure.", metadata=stray))
    answer = await r.say("hello there")
    assert answer["kind"] == "done"
    assert answer["handoffs"] == [{"source": "orchestrator", "target": PD}]
    assert len(r.specialists[PD].requests) == 1, "no re-call of the specialist for an unknown tool"
