"""The orchestrator calls its specialists over A2A's gRPC binding, on real servers on loopback.

A turn, its hand-back and its usage cross gRPC with no JSON-RPC request sent; a call without a valid
service token is refused UNAUTHENTICATED before any agent runs; a specialist that is down is the usual
apology, and the first turn after its restart reaches it (on a new channel, its card fetched again); a
specialist whose card offers no gRPC interface is called over JSON-RPC.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc
import grpc.aio
import httpx
import jwt
import pytest
from a2a.types import Message, Part, Role, SendMessageRequest, a2a_pb2_grpc

from agents.identity import ORCHESTRATOR_ISSUER
from agents.settings import Settings
from orchestrator.api import create_api
from orchestrator.service import start_orchestrator
from tests.support.system import System, running_specialists, running_system, system_settings

STOCK, ORDERS = "inventory-fulfillment", "order-management"
APOLOGY_MARK = "can't reach our"


class RpcCounter:
    """Counts the JSON-RPC requests (POSTs) an httpx client sends."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.posts = 0
        http.event_hooks = {**http.event_hooks, "request": [*http.event_hooks.get("request", []), self._seen]}

    async def _seen(self, request: httpx.Request) -> None:
        self.posts += request.method == "POST"


@pytest.fixture
async def system(tmp_path) -> AsyncIterator[System]:
    async with running_system(system_settings(tmp_path)) as running:
        yield running


async def test_a_turn_its_hand_back_and_usage_cross_grpc_without_a_json_rpc_request(system):
    rpc = RpcCounter(system.service.http)
    first = (await system.chat("Is the TrailPeak 2 tent in stock?", customer="CUST-001")).json()
    assert first["agent"] == STOCK and "TrailPeak" in first["reply"], first
    follow = (
        await system.chat("Is TRAIL20 valid for the TrailPeak 2 tent?", first["conversation_id"], customer="CUST-001")
    ).json()
    assert follow["route"] == [STOCK, "orchestrator", "pricing-promotions"], follow
    assert follow["usage"]["llm_calls"] >= 2, "the specialists' usage came back in the gRPC events' metadata"
    assert rpc.posts == 0


async def test_the_shoppers_identity_crosses_grpc(system):
    mine = (await system.chat("Where is my order ORD-1001?", customer="CUST-001")).json()
    assert mine["agent"] == ORDERS and "ORD-1001" in mine["reply"], mine
    anonymous = (await system.chat("Where is my order ORD-1001?")).json()
    assert "sign in" in anonymous["reply"].lower(), anonymous


def token(settings: Settings, *, secret: str | None = None, audience: str = ORDERS) -> str:
    claims = {"iss": ORCHESTRATOR_ISSUER, "aud": audience, "sub": "CUST-001", "exp": int(time.time()) + 60}
    return jwt.encode(claims, secret or settings.service_token_secret.get_secret_value(), algorithm="HS256")


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (lambda s: None, "missing bearer token"),
        (lambda s: "Bearer " + token(s, secret="z" * 40), "signature"),
        (lambda s: "Bearer " + token(s, audience="product-discovery"), "not meant for this service"),
    ],
    ids=["missing", "forged", "other audience"],
)
async def test_a_grpc_call_without_a_valid_service_token_is_refused_before_any_agent_runs(
    tmp_path, authorization, reason
):
    settings = system_settings(tmp_path)
    async with running_specialists(settings, names=(ORDERS,)):
        header = authorization(settings)
        metadata = [("a2a-version", "1.0"), *([("authorization", header)] if header else [])]
        message = Message(role=Role.ROLE_USER, message_id=uuid.uuid4().hex, parts=[Part(text="show my orders")])
        async with grpc.aio.insecure_channel(settings.specialist_grpc_urls()[ORDERS]) as channel:
            stub = a2a_pb2_grpc.A2AServiceStub(channel)
            call = stub.SendStreamingMessage(SendMessageRequest(message=message), metadata=metadata, timeout=10)
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                async for _event in call:
                    pytest.fail("a refused call sent an event")
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert reason in (refused.value.details() or "")
        if header is None:
            valid = [*metadata, ("authorization", "Bearer " + token(settings))]
            async with grpc.aio.insecure_channel(settings.specialist_grpc_urls()[ORDERS]) as channel:
                stub = a2a_pb2_grpc.A2AServiceStub(channel)
                events = [
                    e async for e in stub.SendStreamingMessage(SendMessageRequest(message=message), metadata=valid)
                ]
            assert events, "the same call with a valid token is served"


async def test_a_dead_specialist_is_the_apology_and_is_reached_again_after_its_restart(system):
    await system.specialists.stop(STOCK)
    down = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    assert APOLOGY_MARK in down["reply"], down
    await system.specialists.start(STOCK)
    again = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    assert again["agent"] == STOCK and APOLOGY_MARK not in again["reply"], again


@asynccontextmanager
async def orchestrator_on(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    service = await start_orchestrator(settings)
    try:
        transport = httpx.ASGITransport(app=create_api(settings, service))
        async with httpx.AsyncClient(transport=transport, base_url="http://storefront.test", timeout=60) as api:
            api.service = service  # type: ignore[attr-defined]
            yield api
    finally:
        await service.close()


async def test_a_specialist_whose_card_offers_no_grpc_is_called_over_json_rpc(tmp_path):
    json_rpc_only = system_settings(tmp_path, a2a_grpc=False)
    async with (
        running_specialists(json_rpc_only),
        orchestrator_on(json_rpc_only.model_copy(update={"a2a_grpc": True})) as api,
    ):
        rpc = RpcCounter(api.service.http)  # type: ignore[attr-defined]
        answer = (await api.post("/api/chat", json={"message": "Is the TrailPeak 2 tent in stock?"})).json()
        assert answer["agent"] == STOCK and "TrailPeak" in answer["reply"], answer
        assert rpc.posts >= 1
