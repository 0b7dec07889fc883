"""The schema-driven test model: arguments from JSON schemas, its routing plan, and the same model in-process."""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import pytest
from agent_framework import Agent, FunctionTool
from pydantic import Field

from tests.support.chat_double import ToolCall, call, chat_double, text
from tests.support.schema_model import Ask, TestModel, arguments_for, value_for
from tests.support.scripted import in_process

INV, ORD = "inventory-fulfillment", "order-management"
SCHEMA = {
    "type": "object",
    "properties": {
        "product": {"type": "string"},
        "region": {"$ref": "#/$defs/Region"},
        "quantity": {"type": "integer", "minimum": 1},
        "note": {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 3}]},
        "express": {"type": "boolean"},
        "items": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        "gift": {"type": "boolean", "default": True},
    },
    "required": ["product", "region", "quantity", "note", "express", "items"],
    "$defs": {"Region": {"enum": ["us-east", "us-west"]}},
}


def tool(name: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "parameters": parameters or {"type": "object"}}}


def test_arguments_are_made_from_the_schema_for_what_the_test_leaves_out():
    made = arguments_for(SCHEMA, {"product": "OUT-300"})
    assert made == {
        "product": "OUT-300",
        "region": "us-east",
        "quantity": 1,
        "note": "aaa",
        "express": False,
        "items": ["a", "a"],
    }, "required properties only; optional ones keep their defaults"
    assert value_for({"type": "integer", "exclusiveMinimum": 4}) == 5
    assert value_for({"type": ["null", "number"]}) == 0.0
    assert value_for({"type": "object", "properties": {"a": {"const": 7}}, "required": ["a"]}) == {"a": 7}


MODEL = TestModel(
    {"in stock": Ask(INV, {"check_stock": {"product": "OUT-300"}}), "my orders": Ask(ORD)}, answer="Hi there."
)
STOCK = "Is the tent in stock?"


def test_the_orchestrator_hands_off_to_the_owner_and_a_stranger_hands_back():
    offered = [tool("handoff_to_order-management"), tool("handoff_to_inventory-fulfillment")]
    reply = MODEL("orchestrator", offered, [{"role": "user", "content": STOCK}])
    assert reply.tool_calls == (ToolCall("handoff_to_inventory-fulfillment"),)
    back = MODEL(ORD, [tool("track_order"), tool("handoff_to_orchestrator")], [{"role": "user", "content": STOCK}])
    assert back.tool_calls == (ToolCall("handoff_to_orchestrator"),)
    assert MODEL(ORD, [tool("track_order")], [{"role": "user", "content": STOCK}]) == text("Hi there.")
    assert MODEL("orchestrator", offered, [{"role": "user", "content": "hello"}]) == text("Hi there.")


def test_the_owner_calls_its_tools_then_answers_with_their_results():
    offered = [tool("check_stock", {"type": "object", "properties": {"product": {"type": "string"}}}), tool("x")]
    asked = [{"role": "user", "content": STOCK}]
    assert MODEL(INV, offered, asked).tool_calls == (ToolCall("check_stock", {"product": "OUT-300"}),)
    called = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "check_stock", "arguments": "{}"}}]}  # fmt: skip
    answered = [*asked, called, {"role": "tool", "tool_call_id": "c1", "content": '{"total": 3}'}]
    assert MODEL(INV, offered, answered) == text('check_stock: {"total":3}')
    assert MODEL(INV, offered, [*answered, {"role": "user", "content": STOCK}]).tool_calls, "a new turn calls again"
    every = MODEL(ORD, [tool("list_my_orders"), tool("track_order"), tool("handoff_to_orchestrator")],
                  [{"role": "user", "content": "show my orders"}])  # fmt: skip
    assert [c.name for c in every.tool_calls] == ["list_my_orders", "track_order"], "no tools named: all of them"
    with pytest.raises(LookupError, match="check_stock"):
        MODEL(INV, [tool("get_next_restock")], asked)


def stock_tool(seen: list[tuple[str, int]]) -> FunctionTool:
    def check_stock(product: Annotated[str, Field(description="SKU")], units: int) -> dict[str, Any]:
        seen.append((product, units))
        return {"sku": product, "total": 3}

    return FunctionTool(name="check_stock", description="Stock of a product.", func=check_stock)


async def test_in_process_the_same_model_runs_real_tools_through_maf():
    seen: list[tuple[str, int]] = []
    agent = Agent(client=in_process(MODEL, INV), tools=[stock_tool(seen)])
    answer = await agent.run(STOCK)
    assert seen == [("OUT-300", 0)], "the test's value, and the schema's for the rest"
    assert answer.text == 'check_stock: {"sku":"OUT-300","total":3}'
    streamed = [u.text async for u in agent.run(STOCK, stream=True) if u.text]
    assert len(streamed) > 1 and "".join(streamed) == answer.text, "text streams in pieces"


async def test_a_function_model_is_a_policy_the_test_writes_in_process_or_on_the_double():
    def model(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Any:
        if messages[-1]["role"] == "tool":
            return text(f"{agent} read {messages[-1]['content']}")
        return call(tools[0]["function"]["name"], {"product": "KIT-200", "units": 2})

    seen: list[tuple[str, int]] = []
    answer = await Agent(client=in_process(model, INV), tools=[stock_tool(seen)]).run("anything")
    assert seen == [("KIT-200", 2)]
    assert answer.text == f'{INV} read {{"sku": "KIT-200", "total": 3}}'
    async with chat_double(model) as double, httpx.AsyncClient() as http:
        body = {
            "model": "gpt-4.1-mini",
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [tool("check_stock")],
        }
        sent = await http.post(
            f"{double.openai_url}/chat/completions", json=body, headers={"authorization": "Bearer k"}
        )
    called = sent.json()["choices"][0]["message"]["tool_calls"][0]["function"]
    assert (called["name"], json.loads(called["arguments"])) == ("check_stock", {"product": "KIT-200", "units": 2})
