"""The `route` policy: an ask goes to its owner over the tools offered, the owner's own answer is the brain's."""

from __future__ import annotations

from typing import Any

from agents.handoff_extension import handoff_tool_name
from tests.support.chat_double import Reply, text
from tests.support.chat_double.routing import ROUTER_TOOL, routed

INV = "inventory-fulfillment"
ORD = "order-management"
ASK = "Is the TrailPeak 2 tent in stock?"


def tool(name: str) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "parameters": {"type": "object", "properties": {}}}}


def brain(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Reply:
    return text(f"{agent} answers")


POLICY = routed({ASK: INV}, brain)
ASKED = [{"role": "system", "content": "..."}, {"role": "user", "content": ASK}]


async def names_called(agent: str, tools: list[str], messages: list[dict[str, Any]] = ASKED) -> list[str] | str:
    reply = await POLICY(agent, [tool(t) for t in tools], messages)
    return [c.name for c in reply.tool_calls] or (reply.text or "")


async def test_the_orchestrator_hands_an_ask_to_its_owner():
    offered = [handoff_tool_name(INV), handoff_tool_name(ORD)]
    assert await names_called("orchestrator", offered) == [handoff_tool_name(INV)]


async def test_another_specialist_hands_back_and_the_owner_answers_itself():
    assert await names_called(ORD, [handoff_tool_name("orchestrator"), "get_order"]) == [
        handoff_tool_name("orchestrator")
    ]
    assert await names_called(INV, [handoff_tool_name("orchestrator"), "check_stock"]) == f"{INV} answers"


async def test_a_router_tool_is_called_with_the_owner_and_the_ask():
    reply = await POLICY("unknown", [tool(ROUTER_TOOL)], ASKED)
    assert [(c.name, c.arguments) for c in reply.tool_calls] == [(ROUTER_TOOL, {"agent_name": INV, "message": ASK})]


async def test_the_brain_answers_once_work_began_and_for_asks_without_a_route():
    worked = [*ASKED, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": ROUTER_TOOL, "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "3 in stock"}]  # fmt: skip
    assert await names_called("unknown", [ROUTER_TOOL], worked) == "unknown answers"
    handed = [*ASKED, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c2", "type": "function", "function": {"name": handoff_tool_name("orchestrator"), "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c2", "content": "{}"}]  # fmt: skip
    assert await names_called("orchestrator", [handoff_tool_name(INV)], handed) == [handoff_tool_name(INV)]
    other = [{"role": "user", "content": "Hello there"}]
    assert await names_called("orchestrator", [handoff_tool_name(INV)], other) == "orchestrator answers"
