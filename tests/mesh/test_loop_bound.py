"""Models that always hand off are stopped by the per-turn bound; the next message still works."""

from orchestrator.bounds import LIMIT_MESSAGE
from orchestrator.checkpoints import heal
from tests.support.backends import Backend, both_backends
from tests.support.chat_double import call, per_agent, scripted
from tests.support.checkpoints import stored_checkpoint
from tests.support.scripted import ScriptedChatClient
from tests.support.system import System, running_system, system_settings

PD = "product-discovery"


@both_backends
async def test_ping_pong_is_bounded_and_the_conversation_stays_usable(tmp_path, model_backend: Backend):
    settings = system_settings(tmp_path, max_handoffs_per_turn=4, **model_backend.overrides)
    if model_backend.double is not None:
        brain = model_backend.double.policy
        model_backend.play(
            per_agent(
                {"orchestrator": scripted(call(f"handoff_to_{PD}")), PD: scripted(call("handoff_to_orchestrator"))},
                default=brain,
            )
        )
        orchestrator_model = None
    else:
        orchestrator_model = ScriptedChatClient([("call", f"handoff_to_{PD}")], repeat=True)
    async with running_system(settings, orchestrator_model=orchestrator_model) as system:
        if orchestrator_model is not None:
            await restart(system, PD, ScriptedChatClient([("call", "handoff_to_orchestrator")], repeat=True))
        first = await system.chat("show me tents")
        assert first.status_code == 200, first.text
        answer = first.json()
        assert len(answer["handoffs"]) == 4
        assert LIMIT_MESSAGE in answer["reply"]
        assert answer["handoffs"][:2] == [
            {"source": "orchestrator", "target": PD},
            {"source": PD, "target": "orchestrator"},
        ]
        if orchestrator_model is not None:
            # This model ignores tool_choice and insists: refused twice, it is not called a third time.
            assert len(orchestrator_model.calls) == 2 + 2
        # What is kept for the next turn is a transcript a model API accepts.
        assert heal((await stored_checkpoint(system.service.engine, answer["conversation_id"]))["state"]) == {}

        if orchestrator_model is not None:
            await restart(system, PD)
            orchestrator_model.script = ["Hello! How can I help?"]
            orchestrator_model.repeat = False
        else:
            model_backend.play(brain)
        second = await system.chat("hello again", answer["conversation_id"])
        assert second.status_code == 200, second.text
        assert second.json()["reply"]


async def restart(system: System, name: str, chat_client: ScriptedChatClient | None = None) -> None:
    """Restart a specialist on another model (its default one when `chat_client` is None)."""
    await system.specialists.stop(name)
    await system.specialists.start(name, chat_client=chat_client)
