"""Conversations that broke for good on a validating Chat Completions server, and their neighbours.

Every request of every agent goes through the strict double; a test passes only if the double saw no
request the real API would reject (`wire.violations() == []`) and the conversation still answers.
"""

import pytest

from agents.maf_internals import EXECUTOR_CACHE_KEY, EXECUTOR_STATE_KEY
from orchestrator.checkpoints import heal
from tests.support.chat_double import call, calls, per_agent, text
from tests.support.checkpoints import overwrite_checkpoint, stored_checkpoint
from tests.wire.conftest import ORDERS, PRICES, STOCK, WireSystem, routing_policy, tool_names

ORDER_ASKS = [
    "Where is my order ORD-1001?",
    "And what is the tracking number of that order?",
    "Which carrier has the order?",
    "When will the order arrive?",
    "Can you show me all my orders?",
    "What is in order ORD-1002?",
    "Has order ORD-1003 shipped?",
    "What did order ORD-1001 cost?",
    "Is there an order from October?",
    "Which order was the most recent?",
]
STOCK_ASK = "Is the Ridge 45L Hiking Backpack in stock?"


async def same_domain_run(wire: WireSystem, asks: list[str]) -> str:
    first = (await wire.ask(asks[0])).json()
    assert first["agent"] == ORDERS, first
    conversation_id = first["conversation_id"]
    for ask in asks[1:]:
        answer = await wire.ask(ask, conversation_id)
        assert answer.status_code == 200, answer.text
        assert answer.json()["route"] == [ORDERS]
    return conversation_id


@pytest.mark.parametrize("turns", [7, 10])
async def test_an_out_of_domain_ask_after_a_long_same_domain_run(wire: WireSystem, turns: int) -> None:
    conversation_id = await same_domain_run(wire, ORDER_ASKS[:turns])
    for _ in range(2):  # and the conversation keeps working after it
        answer = await wire.ask(STOCK_ASK, conversation_id)
        assert answer.status_code == 200, answer.text
        assert answer.json()["agent"] == STOCK
        back = await wire.ask("Where is my order ORD-1001?", conversation_id)
        assert back.status_code == 200 and back.json()["agent"] == ORDERS
    assert wire.violations() == []


def always_hands_off(agent, tools, messages):
    """A model that routes whenever it may: the orchestrator to orders, the specialists back."""
    offered = tool_names(tools)
    if agent == "orchestrator" and f"handoff_to_{ORDERS}" in offered:
        return call(f"handoff_to_{ORDERS}")
    if "handoff_to_orchestrator" in offered:
        return call("handoff_to_orchestrator")
    return text("I can only answer that myself, then.")


@pytest.mark.parametrize("policy", [always_hands_off])
@pytest.mark.parametrize("settings_overrides", [{"max_handoffs_per_turn": 3}])
async def test_a_model_that_always_hands_off_is_stopped_and_the_next_turn_works(wire: WireSystem) -> None:
    first = await wire.ask("Where is my order ORD-1001?")
    assert first.status_code == 200, first.text
    assert len(first.json()["handoffs"]) == 3
    conversation_id = first.json()["conversation_id"]
    for _ in range(3):
        again = await wire.ask("Hello again?", conversation_id)
        assert again.status_code == 200, again.text
    assert wire.violations() == []
    # After the refusal the orchestrator's model was only allowed to answer.
    refused = [r for r in wire.double.calls_of("orchestrator") if r.body.get("tool_choice") == "none"]
    assert refused


def orchestrator_says(reply):
    return per_agent({"orchestrator": lambda a, t, m: reply(t, m)}, routing_policy)


def route_with(build):
    """An orchestrator that routes with `build(target)` (text, arguments, several calls ...)."""

    def reply(tools, messages):
        from tests.wire.conftest import last_shopper_text, owner_of

        owner = owner_of(last_shopper_text(messages))
        if owner and f"handoff_to_{owner}" in tool_names(tools):
            return build(owner)
        return text("Hello!")

    return orchestrator_says(reply)


ROUTING_SHAPES = {
    "text and a handoff in one message": lambda t: call(f"handoff_to_{t}", content="Let me get the right team."),
    "a handoff called with arguments": lambda t: call(f"handoff_to_{t}", {"reason": "the shopper asks about it"}),
    "two handoffs in one message": lambda t: calls(
        f"handoff_to_{t}", f"handoff_to_{PRICES if t != PRICES else ORDERS}"
    ),
}


@pytest.mark.parametrize("policy", [route_with(b) for b in ROUTING_SHAPES.values()], ids=list(ROUTING_SHAPES))
async def test_routing_shapes_keep_every_request_valid(wire: WireSystem) -> None:
    first = await wire.ask("Where is my order ORD-1001?")
    assert first.status_code == 200, first.text
    conversation_id = first.json()["conversation_id"]
    for ask in ("Has order ORD-1003 shipped?", STOCK_ASK, "Where is my order ORD-1002?", STOCK_ASK):
        answer = await wire.ask(ask, conversation_id)
        assert answer.status_code == 200, answer.text
    assert wire.violations() == []


def hands_back_with_text(agent, tools, messages):
    from tests.wire.conftest import last_shopper_text, owner_of

    owner = owner_of(last_shopper_text(messages))
    if agent != "orchestrator" and owner not in (None, agent) and "handoff_to_orchestrator" in tool_names(tools):
        return call("handoff_to_orchestrator", content="That's outside what I handle; passing you back.")
    return routing_policy(agent, tools, messages)


@pytest.mark.parametrize("policy", [hands_back_with_text])
async def test_a_specialist_that_hands_back_with_text(wire: WireSystem) -> None:
    first = (await wire.ask("Where is my order ORD-1001?")).json()
    answer = await wire.ask(STOCK_ASK, first["conversation_id"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["route"][-1] == STOCK and "passing you back" in body["reply"]
    again = await wire.ask("Where is my order ORD-1002?", first["conversation_id"])
    assert again.status_code == 200 and again.json()["agent"] == ORDERS
    assert wire.violations() == []


async def test_a_checkpoint_broken_before_the_fix_heals_and_the_conversation_goes_on(wire: WireSystem) -> None:
    conversation_id = await same_domain_run(wire, ORDER_ASKS[:3])
    engine = wire.system.service.engine
    value = await stored_checkpoint(engine, conversation_id)
    orchestrator = value["state"][EXECUTOR_STATE_KEY]["orchestrator"]
    # What the old window wrote: the handoff's call stays in the history, its result is cut off.
    assert orchestrator[EXECUTOR_CACHE_KEY][0].role == "tool"
    orchestrator[EXECUTOR_CACHE_KEY] = orchestrator[EXECUTOR_CACHE_KEY][1:]
    await overwrite_checkpoint(engine, conversation_id, value)
    assert heal(value["state"])
    for _ in range(2):
        answer = await wire.ask(STOCK_ASK, conversation_id)
        assert answer.status_code == 200, answer.text
        assert answer.json()["agent"] == STOCK
    assert heal((await stored_checkpoint(engine, conversation_id))["state"]) == {}
    assert wire.violations() == []
