"""respx doubles of remote A2A specialists, and an orchestrator wired to them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
import respx

from agents.definitions import SPECIALIST_NAMES, get_definition
from agents.settings import Settings
from orchestrator.service import OrchestratorService, start_orchestrator
from tests.support.databases import migrated
from tests.support.scripted import ScriptedChatClient

Reply = Callable[[dict[str, Any]], httpx.Response]


def sse(*results: dict[str, Any], rpc_id: Any) -> bytes:
    """An SSE body: one `data:` line per event, each a full JSON-RPC envelope."""
    return "".join(f"data: {json.dumps({'jsonrpc': '2.0', 'id': rpc_id, 'result': r})}\n\n" for r in results).encode()


def streamed_answer(*chunks: str, metadata: dict[str, Any] | None = None) -> Reply:
    """A specialist reply: task, one artifact chunk per text, completed status with `metadata`."""

    def reply(body: dict[str, Any]) -> httpx.Response:
        ctx = body["params"]["message"].get("contextId") or "ctx-1"
        ids = {"taskId": "task-1", "contextId": ctx}
        events: list[dict[str, Any]] = [
            {"task": {"id": "task-1", "contextId": ctx, "status": {"state": "TASK_STATE_SUBMITTED"}}}
        ]
        for i, chunk in enumerate(chunks):
            artifact = {"artifactId": "answer-1", "name": "answer", "parts": [{"text": chunk}]}
            events.append({"artifactUpdate": {**ids, "artifact": artifact, "append": i > 0}})
        status = {"state": "TASK_STATE_COMPLETED"}
        events.append({"statusUpdate": {**ids, "status": status, "metadata": metadata or {}}})
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=sse(*events, rpc_id=body["id"])
        )

    return reply


@dataclass
class FakeSpecialist:
    """A respx double of one specialist: serves its card and answers JSON-RPC with scripted replies."""

    name: str
    base_url: str
    advertised_url: str | None = None  # what the card names, when not `base_url` (a replica's own address)
    up: bool = True  # when False, every request to it fails to connect
    replies: list[Reply] = field(default_factory=list)
    requests: list[tuple[httpx.Headers, dict[str, Any]]] = field(default_factory=list)
    card_fetches: int = 0

    @property
    def card(self) -> dict[str, Any]:
        definition = get_definition(self.name)
        return {
            "name": self.name,
            "description": definition.description,
            "version": "1.0.0",
            "supportedInterfaces": [
                {
                    "url": f"{self.advertised_url or self.base_url}/a2a",
                    "protocolBinding": "JSONRPC",
                    "protocolVersion": "1.0",
                }
            ],
            "capabilities": {"streaming": True},
            "defaultInputModes": ["text/plain"],
            "defaultOutputModes": ["text/plain"],
            "skills": [{"id": "s", "name": "s", "description": "d", "tags": ["t"]}],
        }

    def install(self, router: respx.MockRouter) -> None:
        def connect(request: httpx.Request) -> None:
            if not self.up:
                raise httpx.ConnectError("connection refused", request=request)

        def card(request: httpx.Request) -> httpx.Response:
            connect(request)
            self.card_fetches += 1
            return httpx.Response(200, json=self.card)

        def health(request: httpx.Request) -> httpx.Response:
            connect(request)
            return httpx.Response(200, json={"status": "ok", "agent": self.name})

        def rpc(request: httpx.Request) -> httpx.Response:
            connect(request)
            body = json.loads(request.content)
            self.requests.append((request.headers, body))
            reply = self.replies.pop(0) if self.replies else streamed_answer(f"{self.name} answer")
            return reply(body)

        router.get(f"{self.base_url}/.well-known/agent-card.json").mock(side_effect=card)
        router.get(f"{self.base_url}/healthz").mock(side_effect=health)
        router.post(f"{self.base_url}/a2a").mock(side_effect=rpc)

    def sent_parts(self, index: int = -1) -> list[dict[str, Any]]:
        """The message parts of request `index`."""
        return self.requests[index][1]["params"]["message"]["parts"]

    def token_claims(self, index: int, secret: str) -> dict[str, Any]:
        """The verified claims of request `index`'s bearer token."""
        token = self.requests[index][0]["authorization"].removeprefix("Bearer ")
        return jwt.decode(token, secret, algorithms=["HS256"], audience=self.name)


@dataclass
class ContractRig:
    """The orchestrator under test, its scripted model and the respx specialists."""

    service: OrchestratorService
    model: ScriptedChatClient
    specialists: dict[str, FakeSpecialist]
    settings: Settings
    router: respx.MockRouter

    def bring_up(self, name: str, advertised_url: str | None = None) -> FakeSpecialist:
        """Start a specialist that was down, at its configured URL (its card naming `advertised_url`)."""
        spec = self.specialists[name]
        spec.up, spec.advertised_url = True, advertised_url
        return spec

    async def say(self, text: str, conversation_id: str | None = None, customer_id: str | None = None) -> dict:
        """Run one turn; returns the `done` (or `error`) event's data, plus the streamed events."""
        turn = await self.service.conversations.open_turn(conversation_id, customer_id, text)
        events = [e async for e in turn.events()]
        final = events[-1]
        return {"kind": final.kind, **final.data, "events": events, "conversation_id": turn.conversation_id}


NAMES = ("product-discovery", "inventory-fulfillment")  # up from the start; the others are down


@pytest.fixture
async def rig(tmp_path) -> AsyncIterator[Callable[..., Any]]:
    """Factory: `await rig(script)` starts an orchestrator whose model follows `script`."""
    services: list[OrchestratorService] = []
    with respx.mock(assert_all_called=False) as router:
        specialists = {n: FakeSpecialist(n, f"http://{n}.test", up=n in NAMES) for n in SPECIALIST_NAMES}
        for spec in specialists.values():
            spec.install(router)

        async def make(script: list[Any], *, repeat: bool = False, **overrides: Any) -> ContractRig:
            settings = Settings(
                database_url=f"sqlite+aiosqlite:///{tmp_path}/orchestrator.db",
                product_discovery_url="http://product-discovery.test",
                inventory_fulfillment_url="http://inventory-fulfillment.test",
                order_management_url="http://order-management.test",
                pricing_promotions_url="http://pricing-promotions.test",
                review_sentiment_url="http://review-sentiment.test",
                **overrides,
            )
            model = ScriptedChatClient(script, repeat=repeat)
            await migrated(settings.database_url)
            service = await start_orchestrator(settings, chat_client=model)
            services.append(service)
            return ContractRig(service, model, specialists, settings, router)

        yield make
        for service in services:
            await service.close()
