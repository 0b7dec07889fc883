"""A non-streaming SendMessage peer gets the same answer, usage and handoff as a streaming one."""

from tests.specialists.test_answers import BACK
from tests.support.asks import tracking_number
from tests.support.backends import on_test_model_in_process
from tests.support.scripted import ScriptedChatClient

pytestmark = on_test_model_in_process


async def test_send_message_carries_usage_and_handoff(peer, specialists):
    plain = peer("order-management", streaming=False)
    answer = await plain.send("Where is my order ORD-1001?", customer="CUST-001", metadata=BACK)
    assert answer["kinds"] == ["task"]
    assert await tracking_number(specialists.store, "CUST-001", "ORD-1001") in answer["text"]
    assert answer["metadata"]["usage"]["llm_calls"] >= 2
    handback = await plain.send("Is OUT-300 in stock?", customer="CUST-001", metadata=BACK)
    assert handback["metadata"]["handoff"]["target"] == "orchestrator"


async def test_a_model_failure_becomes_a_failed_task_with_a_clear_message(peer, specialists):
    def broken(_messages, _options):
        raise RuntimeError("model endpoint returned 502")

    await specialists.stop("review-sentiment")
    await specialists.start("review-sentiment", chat_client=ScriptedChatClient([broken], repeat=True))
    answer = await peer("review-sentiment").send("how is the AeroBrew rated?", metadata=BACK)
    assert answer["state"] == "TASK_STATE_FAILED", answer
    assert "model endpoint returned 502" not in str(answer), "the model's error stays in the log"
    again = await peer("review-sentiment", streaming=False).send("how is the AeroBrew rated?", metadata=BACK)
    assert again["state"] == "TASK_STATE_FAILED"
