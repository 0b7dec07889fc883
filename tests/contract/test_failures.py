"""JSON-RPC errors, HTTP 500s, timeouts and failed tasks become an apology; the conversation goes on."""

import httpx
import pytest

from orchestrator.proxy import APOLOGY
from tests.contract.conftest import sse, streamed_answer

PD = "product-discovery"


def jsonrpc_error(body):
    return httpx.Response(200, json={"jsonrpc": "2.0", "id": body["id"], "error": {"code": -32603, "message": "boom"}})


def http_500(_body):
    return httpx.Response(500, text="Internal Server Error")


def timeout(_body):
    raise httpx.ReadTimeout("read timed out")


def failed_task(body):
    events = [
        {"task": {"id": "t", "contextId": "ctx-f", "status": {"state": "TASK_STATE_SUBMITTED"}}},
        {
            "statusUpdate": {
                "taskId": "t",
                "contextId": "ctx-f",
                "status": {
                    "state": "TASK_STATE_FAILED",
                    "message": {"messageId": "m", "role": "ROLE_AGENT", "parts": [{"text": "db down"}]},
                },
            }
        },
    ]
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse(*events, rpc_id=body["id"]))


@pytest.mark.parametrize("failure", [jsonrpc_error, http_500, timeout, failed_task])
async def test_failure_becomes_an_apology_and_the_conversation_goes_on(rig, failure, caplog):
    r = await rig([("call", f"handoff_to_{PD}"), ("call", f"handoff_to_{PD}")])
    r.specialists[PD].replies += [failure, streamed_answer("Here are our tents.")]
    first = await r.say("show me tents")
    assert first["kind"] == "done"
    apology = APOLOGY.format(topic="product discovery")
    assert first["reply"] == apology
    for internal in ("boom", "500", "timed out", "db down", "http://", "-32603"):
        assert internal not in first["reply"]
    assert first["route"] == ["orchestrator", PD], "the orchestrator takes the floor without another model call"
    assert len(r.model.calls) == 1
    assert any(PD in rec.getMessage() and "failed" in rec.getMessage() for rec in caplog.records)

    second = await r.say("show me tents", first["conversation_id"])
    assert second["kind"] == "done"
    assert second["reply"] == "Here are our tents."
    # The proxy kept the floor with the apology; it hands the next message back, unseen by the specialist,
    # and the orchestrator routes it afresh.
    assert second["route"] == [PD, "orchestrator", PD], "the next message is routed afresh"
    assert len(r.specialists[PD].requests) == 2


async def test_after_a_failure_the_next_request_names_no_session_version(rig):
    r = await rig([("call", f"handoff_to_{PD}"), ("call", f"handoff_to_{PD}")])
    saved = {"session_version": "v-1"}
    r.specialists[PD].replies += [streamed_answer("Tents.", metadata=saved), http_500, streamed_answer("Tents again.")]
    c = (await r.say("show me tents"))["conversation_id"]
    assert (await r.say("which one is lightest?", c))["reply"] == APOLOGY.format(topic="product discovery")
    third = await r.say("show me tents", c)
    assert third["reply"] == "Tents again."
    sent = [body["params"].get("metadata", {}).get("session_version") for _, body in r.specialists[PD].requests]
    assert sent == [None, "v-1", None], "what the failed call saved, if anything, is unknown: the database decides"
