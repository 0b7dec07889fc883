"""Two orchestrators and two product-discovery replicas behind a real haproxy, on PostgreSQL.

One scenario, in the order a deployment lives it: an orchestrator starts before any specialist,
the specialists come up and are found, a conversation alternates between the orchestrators, double
posts get one 409 each, A2A calls reach both replicas through the balancer (over gRPC: haproxy speaks
HTTP/2 on each specialist's gRPC port), 100 conversations run at
once without an error, and a replica killed with SIGKILL is failed over within a few turns.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from benchmarks.topology import ORCHESTRATORS, Topology, grpc_service, haproxy_path, scaled_out, wait_until
from tests.support.databases import postgres_database
from tests.support.servers import free_port

PD = "product-discovery"
INV = "inventory-fulfillment"
ASKS = {
    PD: ("Do you have noise-cancelling headphones under $200?", "Which one has the longest battery life?"),
    INV: ("Is the TrailPeak 2 tent in stock?",),
}
APOLOGY_MARK = "can't reach our"
CONCURRENT = 100
# The test machine's cores are shared with other test runs: a burst of 100 turns can starve an event
# loop for seconds, so connecting over loopback gets the time a congested network would.
SHARED_MACHINE = {"A2A_CONNECT_TIMEOUT_S": "15"}

pytestmark = pytest.mark.skipif(haproxy_path() is None, reason="haproxy is not installed (scripts/test installs it)")


def _agents(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/api/agents", timeout=10).json()


def _discovered(url: str, *names: str) -> bool:
    listed = {s["name"]: s for s in _agents(url)["specialists"]}
    return all(listed[n]["discovered"] for n in names)


async def _chat(
    client: httpx.AsyncClient, url: str, message: str, conversation_id: str | None = None
) -> httpx.Response:
    return await client.post(f"{url}/api/chat", json={"message": message, "conversation_id": conversation_id})


def _answered_by(response: httpx.Response, agent: str) -> bool:
    if response.status_code != 200:
        return False
    body = response.json()
    return body["agent"] == agent and bool(body["reply"].strip()) and APOLOGY_MARK not in body["reply"]


async def _continuity_across_orchestrators(client: httpx.AsyncClient, system: Topology) -> str:
    """Six turns, alternating between the two orchestrators, answered in order in one conversation."""
    replicas = [system.replica_url(ORCHESTRATORS, 1), system.replica_url(ORCHESTRATORS, 2)]
    script = [(PD, ASKS[PD][0]), (PD, ASKS[PD][1]), (INV, ASKS[INV][0]), (PD, ASKS[PD][0])] + [(PD, ASKS[PD][1])] * 2
    conversation_id = None
    for turn, (agent, message) in enumerate(script):
        response = await _chat(client, replicas[turn % 2], message, conversation_id)
        assert _answered_by(response, agent), (turn, response.status_code, response.text[:300])
        conversation_id = response.json()["conversation_id"]
    transcript = (await client.get(f"{replicas[0]}/api/conversations/{conversation_id}")).json()
    assert transcript["turns"] == len(script)
    shopper = [m["text"] for m in transcript["messages"] if m["author"] == "shopper"]
    assert shopper == [message for _, message in script]
    return conversation_id


async def _double_posts(client: httpx.AsyncClient, system: Topology, conversation_id: str) -> None:
    """The same conversation posted to both orchestrators at once: one answers, the other says 409."""
    replicas = [system.replica_url(ORCHESTRATORS, 1), system.replica_url(ORCHESTRATORS, 2)]
    for _ in range(3):
        both = await asyncio.gather(*(_chat(client, url, ASKS[PD][1], conversation_id) for url in replicas))
        assert sorted(r.status_code for r in both) == [200, 409], [r.text[:200] for r in both]


async def _concurrent_conversations(system: Topology) -> None:
    """100 new conversations at once through the balancer: every one answered by its specialist."""
    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        asks = [(PD if i % 4 else INV) for i in range(CONCURRENT)]
        responses = await asyncio.gather(*(_chat(client, system.api_url, ASKS[a][0]) for a in asks))
    failed = [(r.status_code, r.text[:200]) for r, a in zip(responses, asks, strict=True) if not _answered_by(r, a)]
    assert failed == [], f"{len(failed)} of {CONCURRENT} failed: {failed[:3]}"


async def _failover(client: httpx.AsyncClient, system: Topology) -> int:
    """Kill one replica with SIGKILL; turns through the balancer keep being answered by the other."""
    system.kill(f"{PD}-1")
    attempts = 0
    while not _answered_by(await _chat(client, system.api_url, ASKS[PD][0]), PD):
        attempts += 1
        assert attempts < 20, "no turn was answered after the replica was killed"  # checks run every 250 ms
        await asyncio.sleep(0.25)
    for _ in range(5):
        assert _answered_by(await _chat(client, system.api_url, ASKS[PD][0]), PD)
    assert wait_until(lambda: system.balancer.status(PD)["r1"].startswith("DOWN"), 10)
    return attempts + 1


async def test_scale_out_behind_haproxy_on_postgres(tmp_path):
    async with postgres_database() as database_url:
        replicas = {ORCHESTRATORS: 2, PD: 2, INV: 1}
        with scaled_out(tmp_path, database_url, replicas, free_port, settings=SHARED_MACHINE) as system:
            first = system.start(ORCHESTRATORS, 1)
            system.wait_healthy(first)
            before = _agents(system.replica_url(ORCHESTRATORS, 1))
            assert set(before["missing"]) >= {PD, INV}, "started before any specialist, it says what is missing"

            started = [system.start(PD, 1), system.start(PD, 2), system.start(INV, 1), system.start(ORCHESTRATORS, 2)]
            system.wait_healthy(*started)
            # each orchestrator finds them on its own; within a second of a failed look it answers with an
            # apology at once instead of looking again, so the conversation starts once both have found them
            orchestrators = [system.replica_url(ORCHESTRATORS, i) for i in (1, 2)]
            assert wait_until(lambda: all(_discovered(url, PD, INV) for url in orchestrators), 30)
            card = httpx.get(f"{system.replica_url(PD, 2)}/.well-known/agent-card.json", timeout=10).json()
            assert card["supportedInterfaces"][0]["url"] == system.env["PRODUCT_DISCOVERY_URL"] + "/a2a"

            async with httpx.AsyncClient(timeout=120) as client:
                conversation_id = await _continuity_across_orchestrators(client, system)
                await _double_posts(client, system, conversation_id)
                await _concurrent_conversations(system)
                calls = system.balancer.answered_by_replica(PD)
                assert calls["r1"] > 0 and calls["r2"] > 0, calls
                over_grpc = system.balancer.answered_by_replica(grpc_service(PD))
                assert over_grpc["r1"] > 0 and over_grpc["r2"] > 0, over_grpc
                served = system.balancer.answered_by_replica(ORCHESTRATORS)
                assert served["r1"] > 0 and served["r2"] > 0, served
                started_at = time.monotonic()
                attempts = await _failover(client, system)
            print(
                f"A2A calls per product-discovery replica: {calls}; failover after {attempts} turn(s), "
                f"{time.monotonic() - started_at:.1f} s"
            )
