"""The offline model driving a real MAF handoff mesh: orchestrator -> specialist -> back -> another specialist."""

from __future__ import annotations

from agent_framework import Agent, FunctionTool, Workflow, WorkflowEvent
from agent_framework.orchestrations import HandoffAgentUserRequest, HandoffBuilder

from agents.definitions import ORCHESTRATOR, SPECIALISTS
from agents.models import OfflineChatClient
from tests.models.fakes import TOOLSETS


def build_mesh(client: OfflineChatClient, toolsets: dict[str, list[FunctionTool]] = TOOLSETS) -> Workflow:
    """The orchestrator and the five specialists (with fake tools), edges both ways, all on one offline model."""

    def agent(name: str, description: str, instructions: str, tools: list[FunctionTool]) -> Agent:
        return Agent(
            client=client,
            name=name,
            description=description,
            instructions=instructions,
            tools=tools,
            require_per_service_call_history_persistence=True,
        )

    front = agent(ORCHESTRATOR.name, ORCHESTRATOR.description, ORCHESTRATOR.instructions, [])
    specialists = [agent(d.name, d.description, d.instructions, toolsets[d.name]) for d in SPECIALISTS]
    builder = HandoffBuilder(participants=[front, *specialists]).with_start_agent(front)
    builder.add_handoff(front, specialists)
    for s in specialists:
        builder.add_handoff(s, [front])
    return builder.build()


def summary(events: list[WorkflowEvent]) -> tuple[list[tuple[str, str]], str, str | None]:
    """Handoffs, the text of the last agent response, and the pending request id."""
    handoffs = [(e.data.source, e.data.target) for e in events if e.type == "handoff_sent"]
    requests = [e for e in events if e.type == "request_info"]
    text = requests[-1].data.agent_response.text if requests else ""
    return handoffs, text, requests[-1].request_id if requests else None


async def test_a_conversation_is_routed_answered_and_handed_back() -> None:
    client = OfflineChatClient()
    workflow = build_mesh(client)

    handoffs, text, request_id = summary([e async for e in workflow.run("where is my order ORD-1001?", stream=True)])
    assert handoffs == [("orchestrator", "order-management")]
    assert "PA1001347044" in text and "ORD-1001" in text

    reply = HandoffAgentUserRequest.create_response("and is OUT-300 in stock?")
    handoffs, text, _ = summary([e async for e in workflow.run(responses={request_id: reply}, stream=True)])
    assert handoffs == [("order-management", "orchestrator"), ("orchestrator", "inventory-fulfillment")]
    assert "WH-EAST" in text
    assert client.calls == 7  # route, call + answer, hand back, route, call + answer


async def test_a_handoff_that_comes_back_is_not_tried_again() -> None:
    miswired = {**TOOLSETS, "inventory-fulfillment": TOOLSETS["order-management"]}
    workflow = build_mesh(OfflineChatClient(), miswired)

    handoffs, text, _ = summary([e async for e in workflow.run("is OUT-300 in stock?", stream=True)])
    assert handoffs == [("orchestrator", "inventory-fulfillment"), ("inventory-fulfillment", "orchestrator")]
    assert text.startswith("I'm not sure I can help with that.")


async def test_an_ask_for_two_specialists_gets_both_answers_in_one_turn() -> None:
    workflow = build_mesh(OfflineChatClient())

    events = [e async for e in workflow.run("is OUT-300 in stock and what do people think of it?", stream=True)]
    handoffs, _, _ = summary(events)
    # The first specialist answers its part and hands the rest back; the orchestrator routes the rest.
    assert handoffs == [
        ("orchestrator", "review-sentiment"),
        ("review-sentiment", "orchestrator"),
        ("orchestrator", "inventory-fulfillment"),
    ]
    said = {e.executor_id: "" for e in events if e.type == "output"}
    for e in events:
        if e.type == "output":
            said[e.executor_id] += e.data.text
    assert "KIT-200" in said["review-sentiment"] and "WH-EAST" in said["inventory-fulfillment"]


async def test_the_second_specialist_of_a_two_part_ask_does_not_hand_back_again() -> None:
    client = OfflineChatClient()
    workflow = build_mesh(client)

    events = [e async for e in workflow.run("what do people think of OUT-300 and is it in stock?", stream=True)]
    handoffs, text, request_id = summary(events)
    assert [t for _, t in handoffs].count("orchestrator") == 1
    assert "WH-EAST" in text and request_id is not None


async def test_an_order_question_beside_a_stock_question_reaches_the_orders_desk() -> None:
    workflow = build_mesh(OfflineChatClient())

    events = [e async for e in workflow.run("is OUT-300 in stock? also where is ORD-1001", stream=True)]
    handoffs, text, _ = summary(events)
    assert handoffs[-1] == ("orchestrator", "order-management")
    assert "PA1001347044" in text
