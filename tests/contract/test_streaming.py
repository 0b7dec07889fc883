"""A streamed reply is passed through chunk by chunk, in order, and its usage is counted."""

from tests.contract.conftest import streamed_answer

PD = "product-discovery"


async def test_chunks_arrive_as_deltas_in_order(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    usage = {"usage": {"llm_calls": 2, "input_tokens": 120, "output_tokens": 30}}
    r.specialists[PD].replies.append(
        streamed_answer("The TrailPeak 2 ", "weighs 1.9 kg ", "and costs $249.", metadata=usage)
    )
    answer = await r.say("tell me about the TrailPeak 2")
    kinds = [(e.kind, e.data.get("agent"), e.data.get("text")) for e in answer["events"]]
    deltas = [text for kind, agent, text in kinds if kind == "delta" and agent == PD]
    assert deltas == ["The TrailPeak 2 ", "weighs 1.9 kg ", "and costs $249."]
    assert ("agent", PD, None) in kinds
    assert kinds.index(("agent", PD, None)) < kinds.index(("delta", PD, "The TrailPeak 2 "))
    assert answer["reply"] == "The TrailPeak 2 weighs 1.9 kg and costs $249."
    assert answer["agent"] == PD
    assert answer["route"] == ["orchestrator", PD]
    assert answer["handoffs"] == [{"source": "orchestrator", "target": PD}]
    assert answer["usage"]["llm_calls"] == 1 + 2, "the orchestrator's call plus the specialist's reported calls"
    assert answer["usage"]["input_tokens"] >= 120
