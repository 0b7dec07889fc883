"""Policies: who is calling, scripted and per-agent answers, one-off faults, and the offline brain."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agents.definitions import ORCHESTRATOR, get_definition
from tests.support.chat_double import Reply, call, chat_double, per_agent, rate_limited, scripted, text
from tests.support.chat_double.brain import OfflineBrain
from tests.support.chat_double.policies import agent_of, offered

INV = "inventory-fulfillment"
HANDOFFS = [
    {"type": "function", "function": {"name": f"handoff_to_{name}", "description": get_definition(name).description,
                                      "parameters": {"type": "object", "properties": {}}}}
    for name in ("product-discovery", "order-management", INV)
]  # fmt: skip
STOCK = {
    "type": "function",
    "function": {
        "name": "check_stock",
        "description": "How many units of a product are in stock, per warehouse.",
        "parameters": {
            "type": "object",
            "properties": {"sku": {"type": "string", "description": "Product SKU, e.g. OUT-300"}},
            "required": ["sku"],
        },
    },
}


def system(agent: str) -> dict[str, str]:
    return {"role": "system", "content": get_definition(agent).instructions}


def test_the_calling_agent_is_read_from_its_instructions_or_a_header():
    ask = {"role": "user", "content": "hi"}
    assert agent_of([system("orchestrator"), ask]) == "orchestrator"
    assert agent_of([system(INV), ask]) == INV
    assert agent_of([ask]) == "unknown"
    assert agent_of([system(INV), ask], header="orchestrator") == "orchestrator"


def test_the_policy_sees_only_the_tools_tool_choice_allows():
    assert offered({"tools": HANDOFFS, "tool_choice": "none"}) == []
    named = {"type": "function", "function": {"name": f"handoff_to_{INV}"}}
    assert offered({"tools": HANDOFFS, "tool_choice": named}) == [HANDOFFS[2]]
    assert offered({"tools": HANDOFFS, "tool_choice": "auto"}) == HANDOFFS


def test_scripted_answers_in_order_then_defers_or_repeats():
    then = scripted(text("then"))
    policy = scripted(text("one"), text("two"), then=then)
    assert [policy("a", [], []) for _ in range(4)] == [text("one"), text("two"), text("then"), text("then")]
    repeating = scripted(text("again"))
    assert [repeating("a", [], []) for _ in range(2)] == [text("again")] * 2
    with pytest.raises(LookupError):
        scripted()("a", [], [])


def test_per_agent_routes_each_agent_to_its_policy():
    policy = per_agent({"orchestrator": scripted(text("router"))}, default=scripted(text("specialist")))
    assert policy("orchestrator", [], []) == text("router")
    assert policy(INV, [], []) == text("specialist")


async def test_a_fault_for_one_agent_spares_the_others():
    def answer(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Reply:
        return text(f"hello from {agent}")

    async with chat_double(answer) as double, httpx.AsyncClient() as http:
        double.fail_next(rate_limited(), agent=INV)

        async def ask(agent: str) -> httpx.Response:
            body = {"model": "m", "messages": [system(agent), {"role": "user", "content": "hi"}]}
            headers = {"authorization": "Bearer k"}
            return await http.post(f"{double.openai_url}/chat/completions", json=body, headers=headers)

        assert (await ask("orchestrator")).status_code == 200
        assert (await ask(INV)).status_code == 429
        assert (await ask(INV)).json()["choices"][0]["message"]["content"] == f"hello from {INV}"
    assert [r.agent for r in double.requests] == ["orchestrator", INV, INV]


async def test_a_repeated_scripted_call_gets_a_new_id_in_every_response():
    async with chat_double(scripted(call("handoff_to_orchestrator"))) as double, httpx.AsyncClient() as http:
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "tools": HANDOFFS}
        answers = [
            (
                await http.post(
                    f"{double.openai_url}/chat/completions", json=body, headers={"authorization": "Bearer k"}
                )
            ).json()["choices"][0]["message"]["tool_calls"][0]["id"]
            for _ in range(2)
        ]
    assert len(set(answers)) == 2


async def test_the_offline_brain_routes_calls_a_tool_and_answers_from_its_result():
    brain = OfflineBrain()
    ask = {"role": "user", "content": "Is the TrailPeak 2 tent (OUT-300) in stock?"}
    routed = await brain("orchestrator", HANDOFFS, [{"role": "system", "content": ORCHESTRATOR.instructions}, ask])
    assert [c.name for c in routed.tool_calls] == [f"handoff_to_{INV}"] and routed.text is None

    asked = await brain(INV, [STOCK], [system(INV), ask])
    (stock_call,) = asked.tool_calls
    assert (stock_call.name, json.loads(stock_call.arguments_json)) == ("check_stock", {"sku": "OUT-300"})
    wire_call = {"id": stock_call.id, "type": "function",
                 "function": {"name": "check_stock", "arguments": stock_call.arguments_json}}  # fmt: skip
    result = {"role": "tool", "tool_call_id": stock_call.id, "content": '{"sku": "OUT-300", "in_stock": 3}'}
    answered = await brain(INV, [STOCK], [system(INV), ask, {"role": "assistant", "tool_calls": [wire_call]}, result])
    assert answered.tool_calls == () and answered.text and "3" in answered.text
