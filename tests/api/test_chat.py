"""POST /api/chat as JSON and as server-sent events; transcripts; the agents list.

The first test is the API's smoke test on the offline model (the product's default); the others run on
the test model, which decides the routing, so they prove what the API does with whatever a model decides.
"""

import asyncio
import json

import httpx

from tests.support.asks import INV, PD, PRICE, TENT, stock_facts
from tests.support.backends import both_backends, on_test_model, on_test_model_in_process


def parse_sse(body: str) -> list[tuple[str, dict]]:
    events, kind = [], "message"
    for line in body.splitlines():
        if line.startswith("event:"):
            kind = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            events.append((kind, json.loads(line.removeprefix("data:").strip())))
    return events


@both_backends
async def test_json_turn_answers_from_inventory_with_the_real_stock(system):
    response = await system.chat("Is the TrailPeak 2 tent in stock?")
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"conversation_id", "reply", "agent", "route", "handoffs", "usage"}
    assert answer["agent"] == INV
    assert "3" in answer["reply"] and "WH-WEST" in answer["reply"]
    assert answer["usage"]["llm_calls"] >= 2  # the specialist's: a clear first ask skips the orchestrator's model
    assert answer["usage"]["input_tokens"] > 0 and answer["usage"]["output_tokens"] > 0


@on_test_model
async def test_sse_turn_streams_agent_handoff_delta_done(system):
    response = await system.api.post(
        "/api/chat",
        json={"message": "Is the TrailPeak 2 tent in stock?"},
        headers={"accept": "text/event-stream"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "agent" and kinds[-1] == "done"
    assert ("handoff", {"source": "orchestrator", "target": INV}) in events
    assert ("agent", {"agent": INV}) in events
    deltas = "".join(d["text"] for k, d in events if k == "delta")
    done = events[-1][1]
    assert deltas.strip() == done["reply"]
    assert all(fact in done["reply"] for fact in await stock_facts(system.specialists.store, TENT))
    assert kinds.count("delta") >= 2, "the answer is streamed in several chunks"


@on_test_model
async def test_three_turns_same_domain_then_out_of_domain(system):
    first = (await system.chat("Do you have noise-cancelling headphones under $200?")).json()
    conversation = first["conversation_id"]
    assert first["route"] == ["orchestrator", PD]
    second = (await system.chat("Tell me more about the Aurora ANC Over-Ear Headphones", conversation)).json()
    assert second["route"] == [PD] and second["handoffs"] == []
    third = (await system.chat("Is the coupon AUDIO25 valid for them?", conversation)).json()
    assert third["handoffs"] == [{"source": PD, "target": "orchestrator"}, {"source": "orchestrator", "target": PRICE}]
    assert third["agent"] == PRICE

    transcript = (await system.api.get(f"/api/conversations/{conversation}")).json()
    authors = [m["author"] for m in transcript["messages"]]
    assert authors == ["shopper", PD, "shopper", PD, "shopper", PRICE]
    assert transcript["messages"][0]["text"] == "Do you have noise-cancelling headphones under $200?"


@on_test_model_in_process  # no model call: one backend is enough
async def test_agents_lists_the_specialists_with_reachability(system):
    listed = (await system.api.get("/api/agents")).json()
    names = [s["name"] for s in listed["specialists"]]
    assert names == [PD, "order-management", PRICE, "review-sentiment", INV]
    assert all(s["reachable"] and s["in_mesh"] and s["skills"] for s in listed["specialists"])
    await system.specialists.stop(PD)
    listed = (await system.api.get("/api/agents")).json()
    assert [s["reachable"] for s in listed["specialists"]] == [False, True, True, True, True]


@on_test_model_in_process  # no model call: one backend is enough
async def test_health_and_docs(system):
    assert (await system.api.get("/healthz")).json()["status"] == "ok"
    assert (await system.api.get("/docs")).status_code == 200
    spec = (await system.api.get("/openapi.json")).json()
    assert {"/api/chat", "/api/conversations/{conversation_id}", "/api/agents", "/healthz"} <= set(spec["paths"])


@on_test_model
async def test_many_conversations_run_in_parallel(system):
    asks = ["Is OUT-300 in stock?", "any deals on headphones?", "how is the AeroBrew Espresso Machine rated?"] * 4
    answers = await asyncio.gather(*(system.chat(a) for a in asks))
    assert all(a.status_code == 200 for a in answers)
    assert len({a.json()["conversation_id"] for a in answers}) == len(asks)
    assert [a.json()["agent"] for a in answers[:3]] == [INV, PRICE, "review-sentiment"]


@on_test_model
async def test_two_messages_at_once_to_one_conversation_never_corrupt_it(system):
    first = (await system.chat("Is OUT-300 in stock?")).json()
    conversation = first["conversation_id"]
    results = await asyncio.gather(
        system.chat("Can it ship to eu-central?", conversation), system.chat("Can it ship to us-east?", conversation)
    )
    codes = sorted(r.status_code for r in results)
    assert codes in ([200, 200], [200, 409])
    for r in results:
        if r.status_code == 409:
            assert "still answering" in r.json()["message"]
    after = await system.chat("Can it ship to us-west?", conversation)
    assert after.status_code == 200
    transcript = (await system.api.get(f"/api/conversations/{conversation}")).json()
    assert transcript["turns"] == 1 + codes.count(200) + 1


@on_test_model
async def test_the_api_is_reachable_over_real_http(system, settings):
    from orchestrator.api import create_api
    from tests.support.servers import serving

    async with serving(create_api(settings, system.service)) as url, httpx.AsyncClient() as http:
        response = await http.post(url + "/api/chat", json={"message": "hi"})
    assert response.status_code == 200
    assert response.json()["agent"] == "orchestrator"
