"""Models that always hand off are stopped by the per-turn bound; the next message still works."""

from orchestrator.bounds import LIMIT_MESSAGE
from tests.support.scripted import ScriptedChatClient
from tests.support.system import running_system, system_settings

PD = "product-discovery"


async def test_ping_pong_is_bounded_and_the_conversation_stays_usable(tmp_path):
    settings = system_settings(tmp_path, max_handoffs_per_turn=4)
    orchestrator_model = ScriptedChatClient([("call", f"handoff_to_{PD}")], repeat=True)
    async with running_system(settings, orchestrator_model=orchestrator_model) as system:
        await system.specialists.stop(PD)
        await system.specialists.start(
            PD, chat_client=ScriptedChatClient([("call", "handoff_to_orchestrator")], repeat=True)
        )
        first = await system.chat("show me tents")
        assert first.status_code == 200, first.text
        answer = first.json()
        assert len(answer["handoffs"]) == 4
        assert LIMIT_MESSAGE in answer["reply"]
        assert answer["handoffs"][:2] == [
            {"source": "orchestrator", "target": PD},
            {"source": PD, "target": "orchestrator"},
        ]

        await system.specialists.stop(PD)
        await system.specialists.start(PD)
        orchestrator_model.script = ["Hello! How can I help?"]
        orchestrator_model.repeat = False
        second = await system.chat("hello again", answer["conversation_id"])
        assert second.status_code == 200
        assert second.json()["reply"]
