"""The exact JSON-RPC request a proxy sends: method, version, token, parts, context and targets."""

from agents.definitions import ORCHESTRATOR
from agents.handoff_extension import HANDOFF_EXTENSION_URI
from tests.contract.conftest import streamed_answer

PD = "product-discovery"
INV = "inventory-fulfillment"


async def test_first_request_shape(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    await r.say("noise-cancelling headphones under $200", customer_id="CUST-001")
    headers, body = r.specialists[PD].requests[0]
    assert body["jsonrpc"] == "2.0"
    assert body["method"] == "SendStreamingMessage"
    assert headers["a2a-version"] == "1.0"
    assert headers["accept"] == "text/event-stream"
    assert HANDOFF_EXTENSION_URI in headers["a2a-extensions"]
    claims = r.specialists[PD].token_claims(0, r.settings.service_token_secret.get_secret_value())
    assert claims["aud"] == PD and claims["sub"] == "CUST-001"
    assert claims["exp"] - claims["iat"] == r.settings.service_token_ttl_s
    message = body["params"]["message"]
    assert message["role"] == "ROLE_USER"
    assert "contextId" not in message, "the first call lets the specialist open the context"
    assert message["parts"] == [
        {"text": "noise-cancelling headphones under $200", "metadata": {"role": "user", "author": ""}}
    ]
    targets = body["params"]["metadata"]["handoff_targets"]
    assert [t["name"] for t in targets] == ["orchestrator"]
    assert targets[0]["description"] == ORCHESTRATOR.description


async def test_anonymous_shopper_token_has_no_subject(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    await r.say("show me tents")
    claims = r.specialists[PD].token_claims(0, r.settings.service_token_secret.get_secret_value())
    assert "sub" not in claims


async def test_second_turn_reuses_the_context_and_sends_only_the_new_turn(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    first = await r.say("show me tents")
    second = await r.say("which one is lightest?", first["conversation_id"])
    assert second["route"] == [PD], "a same-domain follow-up goes straight to the specialist"
    assert len(r.model.calls) == 1, "no orchestrator model call on the follow-up"
    message = r.specialists[PD].requests[1][1]["params"]["message"]
    assert message["contextId"] == "ctx-1"
    assert [p["text"] for p in message["parts"]] == ["which one is lightest?"]


async def test_after_a_detour_only_the_unseen_turns_travel(rig):
    r = await rig([("call", f"handoff_to_{PD}"), ("call", f"handoff_to_{INV}"), ("call", f"handoff_to_{PD}")])
    back = {"handoff": {"target": "orchestrator", "reason": "out of domain"}}
    r.specialists[PD].replies += [streamed_answer("tents: TrailPeak 2"), streamed_answer(metadata=back)]
    r.specialists[INV].replies += [streamed_answer("3 in stock"), streamed_answer(metadata=back)]
    c = (await r.say("show me tents"))["conversation_id"]
    await r.say("is it in stock?", c)
    third = await r.say("thanks, and tents again please", c)
    assert third["route"] == [INV, "orchestrator", PD]
    texts = [(p["metadata"]["role"], p["metadata"]["author"], p["text"]) for p in r.specialists[PD].sent_parts(-1)]
    assert texts == [
        ("assistant", INV, "3 in stock"),
        ("user", "", "thanks, and tents again please"),
    ], "only what the specialist has not seen travels, never the whole history again"


async def test_a_request_names_the_session_version_the_last_completed_reply_saved(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    r.specialists[PD].replies += [
        streamed_answer("tents: TrailPeak 2", metadata={"session_version": "v-1"}),
        streamed_answer("the TrailPeak 2", metadata={"session_version": "v-2"}),
        streamed_answer("the TrailPeak 2 again"),
    ]
    c = (await r.say("show me tents"))["conversation_id"]
    await r.say("which one is lightest?", c)
    await r.say("and the cheapest?", c)
    sent = [body["params"].get("metadata", {}).get("session_version") for _, body in r.specialists[PD].requests]
    assert sent == [None, "v-1", "v-2"], "each request names the version its context's last reply saved"
