"""Conversations survive an orchestrator restart, run for 120 turns and keep no secret in checkpoints."""

import re

from sqlalchemy import select

from orchestrator.api import create_api
from orchestrator.checkpoints import ConversationCheckpoints
from orchestrator.proxy import ServiceTokens
from orchestrator.service import start_orchestrator
from orchestrator.tables import workflow_checkpoints
from tests.support.backends import both_backends
from tests.support.system import System

pytestmark = both_backends


async def test_persistence_across_an_orchestrator_restart(system, settings):
    first = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    conversation = first["conversation_id"]
    await system.service.close()

    restarted = await start_orchestrator(settings)
    try:
        import httpx

        app = create_api(settings, restarted)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as api:
            again = System(system.specialists, restarted, api)
            second = (await again.chat("Can it ship to eu-central?", conversation)).json()
            assert second["route"] == ["inventory-fulfillment"], "the same specialist keeps the floor"
            assert "eu-central" in second["reply"] and ("OUT-300" in second["reply"] or "TrailPeak" in second["reply"])
            transcript = (await api.get(f"/api/conversations/{conversation}")).json()
            assert transcript["turns"] == 2
    finally:
        await restarted.close()


async def test_no_token_is_written_into_a_checkpoint(system, monkeypatch):
    minted: list[str] = []
    original = ServiceTokens.for_call

    def spy(self, specialist, customer_id):
        minted.append(original(self, specialist, customer_id))
        return minted[-1]

    monkeypatch.setattr(ServiceTokens, "for_call", spy)
    shopper_token = system.shopper_token("CUST-001")
    first = (await system.chat("Where is my order ORD-1001?", customer="CUST-001")).json()
    await system.chat("Is OUT-300 in stock?", first["conversation_id"], customer="CUST-001")
    assert len(minted) >= 2
    async with system.service.engine.connect() as conn:
        rows = (await conn.execute(select(workflow_checkpoints.c.data, workflow_checkpoints.c.id))).all()
    assert rows
    storage = ConversationCheckpoints(system.service.engine, first["conversation_id"])
    jwt_shape = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+")
    for data, checkpoint_id in rows:
        decoded = repr((await storage.load(checkpoint_id)).to_dict())
        for text in (data, decoded):
            for secret in (shopper_token, *minted):
                assert secret not in text
            assert not jwt_shape.search(text), "no JWT of any kind"
