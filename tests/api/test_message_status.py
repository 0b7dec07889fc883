"""The shopper's message is kept from the moment its turn starts; the transcript says how each turn ended."""

import asyncio

from orchestrator.turns import TURN_FAILED
from tests.support.scripted import ScriptedChatClient
from tests.support.system import running_system, system_settings


def statuses(transcript: dict) -> list[tuple[str, str]]:
    return [(m["author"], m["status"]) for m in transcript["messages"]]


async def test_an_answered_turn_marks_the_message_answered(system):
    answer = (await system.chat("Is OUT-300 in stock?")).json()
    transcript = (await system.api.get(f"/api/conversations/{answer['conversation_id']}")).json()
    assert statuses(transcript) == [("shopper", "answered"), ("inventory-fulfillment", "complete")]


async def test_the_message_is_in_the_transcript_while_its_turn_runs(tmp_path):
    async with running_system(system_settings(tmp_path, offline_token_delay_ms=40)) as system:
        conversation = (await system.chat("Is OUT-300 in stock?")).json()["conversation_id"]
        running = asyncio.create_task(system.chat("Can it ship to eu-central?", conversation))
        seen: list[tuple[str, str]] = []
        while not running.done() and ("shopper", "pending") not in seen:
            await asyncio.sleep(0.1)
            seen = statuses((await system.api.get(f"/api/conversations/{conversation}")).json())
        assert (await running).status_code == 200
        assert ("shopper", "pending") in seen, "the shopper's message was stored before the answer"
        final = (await system.api.get(f"/api/conversations/{conversation}")).json()
        assert [s for a, s in statuses(final) if a == "shopper"] == ["answered", "answered"]


async def test_a_failed_turn_marks_the_message_unanswered_and_keeps_what_the_shopper_was_told(tmp_path):
    def boom(_messages, _options):
        raise RuntimeError("model unavailable")

    model = ScriptedChatClient([boom, "Hello!"])
    async with running_system(system_settings(tmp_path), orchestrator_model=model) as system:
        failed = await system.chat("hello")
        assert failed.status_code == 503
        conversation = failed.json()["conversation_id"]
        assert (await system.chat("hello again", conversation)).status_code == 200
        transcript = (await system.api.get(f"/api/conversations/{conversation}")).json()
    assert [(m["author"], m["text"], m["status"]) for m in transcript["messages"]] == [
        ("shopper", "hello", "unanswered"),
        ("system", TURN_FAILED, "complete"),
        ("shopper", "hello again", "answered"),
        ("orchestrator", "Hello!", "complete"),
    ]
    assert transcript["turns"] == 1
