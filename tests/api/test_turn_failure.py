"""A failure inside a turn reaches the client as an error (JSON or SSE event); the conversation goes on."""

from orchestrator.turns import TURN_FAILED
from tests.api.test_chat import parse_sse
from tests.support.asks import SHOPPER_ASKS, TENT, stock_facts
from tests.support.schema_model import Ask, TestModel
from tests.support.scripted import ScriptedChatClient, in_process_models
from tests.support.system import running_system, system_settings

GREETING = "hello there, who are you?"


def boom(_messages, _options):
    raise RuntimeError("orchestrator model unavailable: 503 from upstream")


async def test_turn_failure_is_reported_and_the_conversation_continues(tmp_path):
    model = ScriptedChatClient([("call", "handoff_to_inventory-fulfillment"), boom, boom, "Hello again!"])
    specialists = in_process_models(TestModel({**SHOPPER_ASKS, GREETING: Ask("orchestrator")}))
    async with running_system(system_settings(tmp_path), orchestrator_model=model, models=specialists) as system:
        first = (await system.chat("Is OUT-300 in stock?")).json()
        conversation = first["conversation_id"]
        assert all(fact in first["reply"] for fact in await stock_facts(system.specialists.store, TENT))

        # The specialist hands back for a greeting; the orchestrator's model then fails.
        failed = await system.chat(GREETING, conversation)
        assert failed.status_code == 503
        assert failed.json() == {"error": "turn_failed", "message": TURN_FAILED, "conversation_id": conversation}

        streamed = await system.api.post(
            "/api/chat",
            json={"message": GREETING, "conversation_id": conversation},
            headers={"accept": "text/event-stream"},
        )
        events = parse_sse(streamed.text)
        failed_event = {"error": "turn_failed", "message": TURN_FAILED, "conversation_id": conversation}
        assert events[-1] == ("error", failed_event)
        assert "503" not in streamed.text

        recovered = await system.chat(GREETING, conversation)
        assert recovered.status_code == 200
        assert recovered.json()["reply"] == "Hello again!"
        transcript = (await system.api.get(f"/api/conversations/{conversation}")).json()
        assert [m["author"] for m in transcript["messages"]][-2:] == ["shopper", "orchestrator"]
        assert transcript["turns"] == 2
