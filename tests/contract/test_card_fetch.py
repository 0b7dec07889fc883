"""Cards: fetched once per specialist, looked for again until found, and never the address to call."""

import asyncio

import httpx
import pytest
import respx
from a2a.types import AgentCard, AgentInterface

from agents.definitions import SPECIALIST_NAMES, get_definition
from orchestrator import directory
from orchestrator.api import create_api
from orchestrator.proxy import APOLOGY

PD = "product-discovery"
OM = "order-management"


async def test_every_configured_specialist_is_in_the_mesh_and_missing_ones_are_reported(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    assert r.specialists[PD].card_fetches == 1
    assert r.service.mesh.participant_names == ["orchestrator", *SPECIALIST_NAMES]
    assert set(r.service.directory.missing()) == {OM, "pricing-promotions", "review-sentiment"}

    first = await r.say("show me tents")
    await r.say("and sleeping bags?", first["conversation_id"])
    assert r.specialists[PD].card_fetches == 1, "the card is cached, not fetched per call"


async def test_the_definition_description_is_the_handoff_tool_description(rig):
    r = await rig([("call", f"handoff_to_{PD}")])
    await r.say("show me tents")
    offered = r.model.calls[0]["tools"]
    assert {f"handoff_to_{name}" for name in SPECIALIST_NAMES} <= set(offered)
    for proxy in r.service.mesh.specialists:
        assert proxy.description == get_definition(proxy.name or "").description


async def test_a_specialist_that_comes_up_later_answers_in_the_same_conversation(rig):
    r = await rig([("call", f"handoff_to_{OM}")], repeat=True)
    first = await r.say("where is my order ORD-1001?", customer_id="CUST-001")
    assert first["kind"] == "done" and first["reply"] == APOLOGY.format(topic="order management")

    r.bring_up(OM)
    second = await r.say("where is my order ORD-1001?", first["conversation_id"], customer_id="CUST-001")
    assert second["kind"] == "done"
    assert second["reply"] == f"{OM} answer" and second["agent"] == OM
    assert OM not in r.service.directory.missing()


async def test_after_a_slow_failed_look_turns_within_a_second_apologise_without_looking_again(rig, monkeypatch):
    monkeypatch.setattr(directory, "SLOW_FAILURE_S", 0.0)  # every failed look counts as a slow one
    r = await rig([("call", f"handoff_to_{OM}")], repeat=True)
    first = await r.say("where is my order ORD-1001?", customer_id="CUST-001")
    r.bring_up(OM)
    second = await r.say("where is my order ORD-1002?", customer_id="CUST-001")
    apology = APOLOGY.format(topic="order management")
    assert (first["reply"], second["reply"]) == (apology, apology)
    assert r.specialists[OM].card_fetches == 0, "no look within a second of a slow failure"

    monkeypatch.setattr(directory, "RETRY_AFTER_FAILURE_S", 0.0)
    third = await r.say("where is my order ORD-1002?", customer_id="CUST-001")
    assert third["reply"] == f"{OM} answer"


async def test_concurrent_turns_share_one_look_for_a_missing_specialist():
    with respx.mock() as router:

        async def unavailable(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(0.01)  # the look is in flight while the other turns ask
            return httpx.Response(503)

        card = router.get("http://order-management.test/.well-known/agent-card.json").mock(side_effect=unavailable)
        async with httpx.AsyncClient() as http:
            found = directory.SpecialistDirectory(http, {OM: "http://order-management.test"})
            assert await asyncio.gather(*(found.ensure(OM) for _ in range(20))) == [None] * 20
            assert card.call_count == 1, "callers that waited for a look take its result"
            assert await found.ensure(OM) is None and card.call_count == 2, "a quick failure is looked at again"
            await found.close()


async def test_background_discovery_finds_a_late_specialist_and_the_agents_list_says_so(rig, monkeypatch):
    monkeypatch.setattr(directory, "DISCOVERY_FIRST_DELAY_S", 0.01)
    monkeypatch.setattr(directory, "DISCOVERY_MAX_DELAY_S", 0.05)
    r = await rig([("call", f"handoff_to_{PD}")])
    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api(r.settings, r.service)), base_url="http://t")
    async with api:
        listed = (await api.get("/api/agents")).json()
        om = next(s for s in listed["specialists"] if s["name"] == OM)
        assert (om["in_mesh"], om["discovered"], om["url"]) == (True, False, "http://order-management.test")
        assert om["reason"] and OM in listed["missing"]

        r.bring_up(OM)
        for _ in range(200):
            if OM not in r.service.directory.missing():
                break
            await asyncio.sleep(0.02)
        listed = (await api.get("/api/agents")).json()
        om = next(s for s in listed["specialists"] if s["name"] == OM)
        assert om["discovered"] is True and om["skills"] and OM not in listed["missing"]


async def test_calls_go_to_the_configured_url_not_the_address_the_card_names(rig):
    r = await rig([("call", f"handoff_to_{OM}")])
    r.bring_up(OM, advertised_url="http://replica-2.internal:9102")
    answer = await r.say("where is my order ORD-1001?", customer_id="CUST-001")
    assert answer["reply"] == f"{OM} answer"
    assert len(r.specialists[OM].requests) == 1, "the call reached the configured URL"


@pytest.mark.parametrize("advertised", ["http://replica-2.internal:9102", "https://other:1"])
def test_at_url_keeps_the_path_and_swaps_the_origin(advertised):
    interface = AgentInterface(url=f"{advertised}/a2a", protocol_binding="JSONRPC")
    card = AgentCard(name=PD, supported_interfaces=[interface])
    routed = directory.at_url(card, "http://balancer:8101")
    assert routed.supported_interfaces[0].url == "http://balancer:8101/a2a"
    assert card.supported_interfaces[0].url == f"{advertised}/a2a", "the cached card is left as it was"
