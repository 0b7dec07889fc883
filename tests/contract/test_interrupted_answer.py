"""A specialist failing mid-answer: the shopper keeps what was streamed, then the apology as its own sentence."""

import httpx

from orchestrator.proxy import APOLOGY
from tests.contract.conftest import sse

INV = "inventory-fulfillment"
PARTIAL = ["To eu-central: cheapest ParcelPost standard ", "from WH-WEST (Reno, NV),"]


def breaks_mid_answer(body):
    """Two chunks of the answer, then the connection drops."""
    ids = {"taskId": "t-1", "contextId": "ctx-1"}
    events = [{"task": {"id": "t-1", "contextId": "ctx-1", "status": {"state": "TASK_STATE_SUBMITTED"}}}]
    for i, chunk in enumerate(PARTIAL):
        artifact = {"artifactId": "answer-1", "name": "answer", "parts": [{"text": chunk}]}
        events.append({"artifactUpdate": {**ids, "artifact": artifact, "append": i > 0}})
    data = sse(*events, rpc_id=body["id"])

    async def stream():
        yield data
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream())


async def test_the_partial_answer_is_kept_as_interrupted_and_the_apology_stands_apart(rig):
    r = await rig([("call", f"handoff_to_{INV}")])
    r.specialists[INV].replies.append(breaks_mid_answer)
    answer = await r.say("Can the TrailPeak 2 ship to eu-central?")
    assert answer["kind"] == "done"

    apology = APOLOGY.format(topic="inventory fulfillment")
    partial = "".join(PARTIAL)
    deltas = [e.data["text"] for e in answer["events"] if e.kind == "delta"]
    assert "".join(deltas) == f"{partial}\n\n{apology}", "streamed text, then the apology in its own paragraph"
    assert answer["reply"] == f"{partial}\n\n{apology}"

    transcript = await r.service.conversations.transcript(answer["conversation_id"], None)
    assert [(m["role"], m["author"], m["text"], m["status"]) for m in transcript["messages"]] == [
        ("user", "shopper", "Can the TrailPeak 2 ship to eu-central?", "answered"),
        ("assistant", INV, partial, "interrupted"),
        ("assistant", INV, apology, "complete"),
    ]


async def test_a_specialist_failing_before_any_text_gives_just_the_apology(rig):
    r = await rig([("call", f"handoff_to_{INV}")])
    r.specialists[INV].replies.append(lambda _body: httpx.Response(500, text="Internal Server Error"))
    answer = await r.say("Can the TrailPeak 2 ship to eu-central?")
    apology = APOLOGY.format(topic="inventory fulfillment")
    assert [e.data["text"] for e in answer["events"] if e.kind == "delta"] == [apology]
    transcript = await r.service.conversations.transcript(answer["conversation_id"], None)
    assert [(m["author"], m["status"]) for m in transcript["messages"]] == [("shopper", "answered"), (INV, "complete")]
