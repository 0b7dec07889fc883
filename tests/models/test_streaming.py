"""Streaming, usage, latency and call counting of the offline model."""

from __future__ import annotations

import time

import pytest
from agent_framework import ChatResponseUpdate, FunctionTool, Message

from agents.models import OfflineChatClient
from agents.models.offline.client import text_chunks
from tests.models.fakes import BACK, ROUTES, TOOLSETS
from tests.models.support import make_agent

INVENTORY = [*TOOLSETS["inventory-fulfillment"], BACK]


@pytest.mark.parametrize(("tools", "ask"), [(ROUTES, "what can you do?"), (INVENTORY, "is OUT-300 in stock?")])
async def test_streamed_text_equals_non_streamed_text(tools: list[FunctionTool], ask: str) -> None:
    whole = await make_agent(tools).run(ask)
    stream = make_agent(tools).run(ask, stream=True)
    pieces = [update.text async for update in stream]
    final = await stream.get_final_response()
    assert "".join(pieces) == whole.text == final.text
    assert len([p for p in pieces if p]) > 3  # a few words at a time


async def test_text_arrives_in_chunks_of_a_few_words_and_a_call_in_one_update() -> None:
    client = OfflineChatClient()
    stream = client.get_response([Message("user", ["is OUT-300 in stock?"])], stream=True, options={"tools": INVENTORY})
    updates: list[ChatResponseUpdate] = [u async for u in stream]
    calls = [c for u in updates for c in u.contents if c.type == "function_call"]
    assert len(calls) == 1 and calls[0].name == "check_stock"
    assert calls[0].call_id.startswith("call_") and len(calls[0].call_id) == len("call_") + 32
    assert text_chunks("one two three four five six seven") == ["one two three ", "four five six ", "seven"]


async def test_usage_is_reported_streamed_and_not() -> None:
    client = OfflineChatClient()
    messages = [Message("user", ["hi"])]
    whole = await client.get_response(messages, options={"tools": ROUTES, "instructions": "Greet."})
    stream = client.get_response(messages, stream=True, options={"tools": ROUTES, "instructions": "Greet."})
    async for _ in stream:
        pass
    streamed = await stream.get_final_response()
    for usage in (whole.usage_details, streamed.usage_details):
        assert usage is not None
        assert usage["input_token_count"] > 300  # five tool schemas, instructions and the message
        assert usage["output_token_count"] == (len(whole.text) + 3) // 4
        assert usage["total_token_count"] == usage["input_token_count"] + usage["output_token_count"]
    assert client.calls == 2


async def test_usage_sums_over_a_tool_turn() -> None:
    client = OfflineChatClient()
    response = await make_agent(INVENTORY, client=client).run("is OUT-300 in stock?")
    assert client.calls == 2
    assert response.usage_details is not None and response.usage_details["output_token_count"] > 20


async def test_token_delay_slows_the_model() -> None:
    async def timed(delay_ms: float) -> tuple[float, int]:
        agent = make_agent(ROUTES, client=OfflineChatClient(token_delay_ms=delay_ms))
        start = time.perf_counter()
        response = await agent.run("hello", stream=True).get_final_response()
        assert response.usage_details is not None
        return time.perf_counter() - start, response.usage_details["output_token_count"]

    fast, tokens = await timed(0)
    slow, _ = await timed(2)
    assert slow >= tokens * 0.002 * 0.9
    assert slow > fast
