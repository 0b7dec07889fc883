"""The double answers like the real API: completion objects and streamed chunks of the same shapes."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.chat_double import ToolCall, calls, chat_double, scripted, text

AUTH = {"authorization": "Bearer sk-test"}
TOOLS = [
    {"type": "function", "function": {"name": name, "parameters": {"type": "object", "properties": {}}}}
    for name in ("get_stock", "get_price")
]
LONG_ARGUMENTS = {"sku": "OUT-300", "warehouse": "WH-WEST", "region": "eu-central"}


def request(**fields: Any) -> dict[str, Any]:
    return {"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": "hi"}], "tools": TOOLS, **fields}


def events(body: str) -> list[Any]:
    data = [line.removeprefix("data: ") for line in body.splitlines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    return [json.loads(d) for d in data[:-1]]


async def test_a_completion_has_the_apis_shape_and_counts_tokens():
    async with chat_double(scripted(text("3 in stock."))) as double, httpx.AsyncClient() as http:
        answer = (await http.post(f"{double.openai_url}/chat/completions", json=request(), headers=AUTH)).json()
    assert answer["object"] == "chat.completion" and answer["id"].startswith("chatcmpl-")
    assert answer["model"] == "gpt-4.1-mini" and isinstance(answer["created"], int)
    choice = answer["choices"][0]
    assert choice["message"]["role"] == "assistant" and choice["message"]["content"] == "3 in stock."
    assert "tool_calls" not in choice["message"] and choice["finish_reason"] == "stop"
    usage = answer["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


async def test_a_tool_call_completion_has_null_content_and_json_arguments():
    async with chat_double(scripted(calls(("get_stock", {"sku": "OUT-300"})))) as double, httpx.AsyncClient() as http:
        answer = (await http.post(f"{double.openai_url}/chat/completions", json=request(), headers=AUTH)).json()
    message = answer["choices"][0]["message"]
    assert message["content"] is None and answer["choices"][0]["finish_reason"] == "tool_calls"
    (call,) = message["tool_calls"]
    assert call["type"] == "function" and call["id"].startswith("call_")
    assert call["function"]["name"] == "get_stock" and json.loads(call["function"]["arguments"]) == {"sku": "OUT-300"}


async def test_text_streams_role_first_then_pieces_then_finish_then_usage():
    answer = text("TrailPeak 2: 3 in stock in WH-WEST.")
    async with chat_double(scripted(answer)) as double, httpx.AsyncClient() as http:
        response = await http.post(
            f"{double.openai_url}/chat/completions",
            json=request(stream=True, stream_options={"include_usage": True}),
            headers=AUTH,
        )
    assert response.headers["content-type"].startswith("text/event-stream")
    chunks = events(response.text)
    assert all(c["object"] == "chat.completion.chunk" and c["id"] == chunks[0]["id"] for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    pieces = [c["choices"][0]["delta"]["content"] for c in chunks[1:-2]]
    assert len(pieces) > 2 and "".join(pieces) == "TrailPeak 2: 3 in stock in WH-WEST."
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop" and chunks[-2]["usage"] is None
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0


async def test_tool_calls_stream_id_and_name_first_then_arguments_in_pieces_one_index_per_call():
    stock = ToolCall("get_stock", LONG_ARGUMENTS, id="call_stock")
    price = ToolCall("get_price", {"sku": "OUT-300"})
    reply = calls(stock, price, content="Let me check.")
    async with chat_double(scripted(reply)) as double, httpx.AsyncClient() as http:
        response = await http.post(f"{double.openai_url}/chat/completions", json=request(stream=True), headers=AUTH)
    chunks = events(response.text)
    assert all("usage" not in c for c in chunks), "no usage chunk unless asked for"
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert "".join(d.get("content") or "" for d in deltas) == "Let me check."
    call_deltas = [t for d in deltas for t in d.get("tool_calls") or ()]
    for index, call in enumerate((stock, price)):
        mine = [t for t in call_deltas if t["index"] == index]
        assert mine[0]["id"].startswith("call_") and mine[0]["function"]["name"] == call.name
        assert all("id" not in t and "name" not in t["function"] for t in mine[1:])
        assert "".join(t["function"]["arguments"] for t in mine) == call.arguments_json
    assert call_deltas[0]["id"] == "call_stock", "a call's given id is kept"
    assert len([t for t in call_deltas if t["index"] == 0]) > 3, "arguments are split across several chunks"
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
