"""A failure inside a turn reaches the client as an error (JSON or SSE event); the conversation goes on."""

from orchestrator.turns import TURN_FAILED
from tests.api.test_chat import parse_sse
from tests.support.scripted import ScriptedChatClient
from tests.support.system import running_system, system_settings


def boom(_messages, _options):
    raise RuntimeError("orchestrator model unavailable: 503 from upstream")


async def test_turn_failure_is_reported_and_the_conversation_continues(tmp_path):
    model = ScriptedChatClient([("call", "handoff_to_inventory-fulfillment"), boom, boom, "Hello again!"])
    async with running_system(system_settings(tmp_path), orchestrator_model=model) as system:
        first = (await system.chat("Is OUT-300 in stock?")).json()
        conversation = first["conversation_id"]
        assert "WH-WEST" in first["reply"]

        # The specialist hands back for a greeting; the orchestrator's model then fails.
        failed = await system.chat("hello there, who are you?", conversation)
        assert failed.status_code == 503
        assert failed.json() == {"error": "turn_failed", "message": TURN_FAILED, "conversation_id": conversation}

        streamed = await system.api.post(
            "/api/chat",
            json={"message": "hello there, who are you?", "conversation_id": conversation},
            headers={"accept": "text/event-stream"},
        )
        events = parse_sse(streamed.text)
        failed_event = {"error": "turn_failed", "message": TURN_FAILED, "conversation_id": conversation}
        assert events[-1] == ("error", failed_event)
        assert "503" not in streamed.text

        recovered = await system.chat("hello there, who are you?", conversation)
        assert recovered.status_code == 200
        assert recovered.json()["reply"] == "Hello again!"
        transcript = (await system.api.get(f"/api/conversations/{conversation}")).json()
        assert [m["author"] for m in transcript["messages"]][-2:] == ["shopper", "orchestrator"]
        assert transcript["turns"] == 2
