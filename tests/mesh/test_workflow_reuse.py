"""Workflows are lent out turn by turn: a reused one carries nothing of the conversation it served before."""

import json

from orchestrator.checkpoints import heal
from tests.support.asks import INV, PD
from tests.support.backends import on_test_model_in_process
from tests.support.checkpoints import stored_checkpoint

pytestmark = on_test_model_in_process


async def test_interleaved_conversations_share_workflows_but_never_state(system, monkeypatch):
    mesh = system.service.mesh
    await system.service.warming
    built = []
    build = mesh.build
    monkeypatch.setattr(mesh, "build", lambda *a, **k: built.append(1) or build(*a, **k))

    tent = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    phones = (await system.chat("Do you have noise-cancelling headphones under $200?")).json()
    assert tent["route"] == ["orchestrator", INV] and phones["route"] == ["orchestrator", PD]
    follow_up = (await system.chat("Can it ship to eu-central?", tent["conversation_id"])).json()
    assert follow_up["route"] == [INV], "the tent conversation resumed where it paused"
    again = await system.chat("Tell me more about the Aurora ANC Over-Ear Headphones", phones["conversation_id"])
    again = again.json()
    assert again["route"] == [PD]
    assert len(built) <= 1, "the pool built at start-up serves; one workflow for a new conversation's state"

    engine = system.service.engine
    tent_state = (await stored_checkpoint(engine, tent["conversation_id"]))["state"]
    phones_state = (await stored_checkpoint(engine, phones["conversation_id"]))["state"]
    assert heal(tent_state) == {} and heal(phones_state) == {}
    assert "headphones" not in json.dumps(tent_state, default=str)
    assert "TrailPeak" not in json.dumps(phones_state, default=str)


async def test_the_idle_pool_is_built_in_the_background_at_start_up(system):
    service = system.service
    first = await system.chat("Is the TrailPeak 2 tent in stock?")
    assert first.json()["route"] == ["orchestrator", INV], "a turn is answered while the pool fills"
    await service.warming
    assert len(service.mesh._idle) == service.mesh.max_idle == service.settings.mesh_idle_workflows
