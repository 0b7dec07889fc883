"""Real clients parse the double: the OpenAI SDK, MAF's chat-completions client, and the Azure route."""

from __future__ import annotations

from typing import Any

import openai
import pytest
from agent_framework import Agent
from agent_framework.openai import OpenAIChatCompletionClient
from openai import AsyncAzureOpenAI, AsyncOpenAI

from agents.models import build_chat_client
from agents.settings import Settings
from tests.support.chat_double import Reply, call, chat_double, rate_limited, server_error, text

STOCK_TOOL = {
    "type": "function",
    "function": {
        "name": "get_stock",
        "parameters": {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]},
    },
}


def stock_model(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Reply:
    """Calls get_stock once, then answers from the tool's result."""
    results = [m["content"] for m in messages if m["role"] == "tool"]
    if results:
        return text(f"In stock: {results[-1]}")
    assert [t["function"]["name"] for t in tools] == ["get_stock"]
    return call("get_stock", {"sku": "OUT-300"})


def get_stock(sku: str) -> str:
    """How many units of a product are in stock."""
    return f"{sku}: 3 units"


@pytest.mark.parametrize("stream", [False, True])
async def test_the_openai_sdk_round_trips_a_tool_call(stream):
    async with chat_double(stock_model) as double:
        sdk = AsyncOpenAI(api_key="sk-test", base_url=double.openai_url, max_retries=0)
        messages: list[Any] = [{"role": "user", "content": "Is OUT-300 in stock?"}]
        first = await sdk.chat.completions.create(model="gpt-4.1-mini", messages=messages, tools=[STOCK_TOOL])
        (tool_call,) = first.choices[0].message.tool_calls or []
        assert tool_call.function.name == "get_stock" and tool_call.function.arguments == '{"sku": "OUT-300"}'
        messages += [
            {"role": "assistant", "tool_calls": [tool_call.model_dump()]},
            {"role": "tool", "tool_call_id": tool_call.id, "content": "3 units"},
        ]
        if stream:
            pieces = await sdk.chat.completions.create(
                model="gpt-4.1-mini", messages=messages, tools=[STOCK_TOOL], stream=True,
                stream_options={"include_usage": True},
            )  # fmt: skip
            received = [chunk async for chunk in pieces]
            answer = "".join(c.choices[0].delta.content or "" for c in received if c.choices)
            assert received[-1].usage is not None and received[-1].usage.total_tokens > 0
        else:
            second = await sdk.chat.completions.create(model="gpt-4.1-mini", messages=messages, tools=[STOCK_TOOL])
            answer = second.choices[0].message.content or ""
    assert answer == "In stock: 3 units"
    assert double.violations == []


@pytest.mark.parametrize("stream", [False, True])
async def test_a_maf_agent_on_the_double_runs_its_tool_and_answers(stream):
    async with chat_double(stock_model) as double:
        client = OpenAIChatCompletionClient(
            model="gpt-4.1-mini", async_client=AsyncOpenAI(api_key="sk-test", base_url=double.openai_url)
        )
        agent = Agent(client=client, name="stock", instructions="Answer stock questions.", tools=[get_stock])
        if stream:
            answer = "".join([u.text async for u in agent.run("Is OUT-300 in stock?", stream=True)])
        else:
            answer = (await agent.run("Is OUT-300 in stock?")).text
    assert answer == "In stock: OUT-300: 3 units"
    assert len(double.requests) == 2 and double.violations == []
    sent = double.requests[1].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool"]


async def test_the_azure_route_through_the_sdk_and_the_factory():
    async with chat_double(stock_model, deployments=frozenset({"support-gpt"})) as double:
        settings = Settings(
            model_provider="azure", azure_openai_endpoint=double.base_url, azure_openai_deployment="support-gpt",
            azure_openai_api_key="azure-key",
        )  # fmt: skip
        agent = Agent(client=build_chat_client(settings), name="stock", tools=[get_stock])
        answer = (await agent.run("Is OUT-300 in stock?")).text
        unknown = AsyncAzureOpenAI(
            azure_endpoint=double.base_url, azure_deployment="other", api_version="2024-10-21", api_key="k",
            max_retries=0,
        )  # fmt: skip
        with pytest.raises(openai.NotFoundError) as missing:
            await unknown.chat.completions.create(model="other", messages=[{"role": "user", "content": "hi"}])
    assert answer == "In stock: OUT-300: 3 units"
    assert [(r.route, r.deployment) for r in double.requests] == [("azure", "support-gpt")] * 2
    assert missing.value.status_code == 404 and "deployment" in str(missing.value).lower()
    assert double.violations == []


async def test_an_injected_fault_answers_once_with_the_apis_error_and_retry_after():
    async with chat_double(lambda agent, tools, messages: text("fine")) as double:
        sdk = AsyncOpenAI(api_key="sk-test", base_url=double.openai_url, max_retries=0)
        ask: list[Any] = [{"role": "user", "content": "hi"}]
        double.fail_next(rate_limited(retry_after=2))
        with pytest.raises(openai.RateLimitError) as limited:
            await sdk.chat.completions.create(model="gpt-4.1-mini", messages=ask)
        double.fail_next(server_error())
        with pytest.raises(openai.InternalServerError):
            await sdk.chat.completions.create(model="gpt-4.1-mini", messages=ask)
        after = await sdk.chat.completions.create(model="gpt-4.1-mini", messages=ask)
    assert limited.value.response.headers["retry-after"] == "2"
    assert limited.value.body["type"] == "requests" and limited.value.body["code"] == "rate_limit_exceeded"
    assert after.choices[0].message.content == "fine"
    assert double.violations == [], "an injected fault is not a violation"
