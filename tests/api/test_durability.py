"""Conversations survive an orchestrator restart and keep no secret in checkpoints (on the test model)."""

import re

from sqlalchemy import select

from orchestrator.api import create_api
from orchestrator.checkpoints import ConversationCheckpoints
from orchestrator.proxy import ServiceTokens
from orchestrator.service import start_orchestrator
from orchestrator.tables import workflow_checkpoints
from tests.support.asks import INV, TENT
from tests.support.backends import Backend, on_test_model
from tests.support.system import System

pytestmark = on_test_model


async def test_persistence_across_an_orchestrator_restart(system, settings, model_backend: Backend):
    first = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    conversation = first["conversation_id"]
    await system.service.close()

    restarted = await start_orchestrator(settings, chat_client=model_backend.models.get("orchestrator"))
    try:
        import httpx

        app = create_api(settings, restarted)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as api:
            again = System(system.specialists, restarted, api)
            second = (await again.chat("Can it ship to eu-central?", conversation)).json()
            assert second["route"] == [INV], "the same specialist keeps the floor"
            assert "eu-central" in second["reply"] and TENT in second["reply"]
            assert "Is the TrailPeak 2 tent in stock?" in model_backend.last_prompt(INV), "the specialist's context"
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
