"""The offline model as a specialist: picks its tool, extracts arguments, answers from results, hands back."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from agent_framework import Agent, Message, tool
from pydantic import Field

from agents.models import OfflineChatClient
from tests.models.fakes import BACK, TOOLSETS
from tests.models.support import calls, make_agent


def specialist(name: str, *, client: OfflineChatClient | None = None) -> Agent:
    return make_agent([*TOOLSETS[name], BACK], name=name, client=client)


CALLED = [
    ("inventory-fulfillment", "is OUT-300 in stock?", "check_stock", {"product": "OUT-300"}),
    ("inventory-fulfillment", "is the TrailPeak 2 tent in stock?", "check_stock", {"product": "TrailPeak 2 tent"}),
    (
        "inventory-fulfillment",
        "how fast can out-300 ship to EU Central?",
        "estimate_shipping",
        {"product": "OUT-300", "region": "eu-central"},
    ),
    (
        "inventory-fulfillment",
        "when will the espresso machine be back in stock?",
        "next_restock",
        {"product": "espresso machine"},
    ),
    ("order-management", "where is my order ORD-1001?", "track_order", {"order_id": "ORD-1001"}),
    ("order-management", "show my shipped orders", "list_orders", {"status": "shipped"}),
    ("order-management", "how many orders have i placed", "list_orders", {}),  # what the shopper did, no status
    (
        "product-discovery",
        "noise-cancelling headphones under $200",
        "search_products",
        {"query": "noise-cancelling headphones", "max_price": 200},
    ),
    (
        "product-discovery",
        "outdoor gear below 100 dollars",
        "search_products",
        {"query": "gear", "category": "outdoor", "max_price": 100},
    ),
    (
        "product-discovery",
        "a hiking gift, 100 bucks max",
        "search_products",
        {"query": "hiking", "max_price": 100},
    ),
    ("product-discovery", "headphones, $150 or less", "search_products", {"query": "headphones", "max_price": 150}),
    (
        "product-discovery",
        "need a daypack, nothing over 100",
        "search_products",
        {"query": "daypack", "max_price": 100},
    ),
    ("product-discovery", "headphones, like 100 to 150", "search_products", {"query": "headphones", "max_price": 150}),
    ("product-discovery", "show me tents", "search_products", {"query": "tents"}),
    ("product-discovery", "can u recommend a good tent", "search_products", {"query": "tent"}),  # no alternatives
    (
        "product-discovery",
        "compare the Aurora and the Aurora Pro",
        "compare_products",
        {"products": ["Aurora", "Aurora Pro"]},
    ),
    ("pricing-promotions", "is TRAIL20 valid for the tent?", "validate_coupon", {"code": "TRAIL20", "product": "tent"}),
    (
        "pricing-promotions",
        "does trail20 work on OUT-300?",
        "validate_coupon",
        {"code": "TRAIL20", "product": "OUT-300"},
    ),
    ("review-sentiment", "what do people say about the AeroBrew?", "pros_and_cons", {"product": "AeroBrew"}),
    (
        "review-sentiment",
        "is the AeroBrew worth it? seen mixed stuff online",  # one question: what was seen, mixed reviews
        "pros_and_cons",
        {"product": "AeroBrew"},
    ),
    (
        "review-sentiment",
        "is the AeroBrew actually any good? reviews seem kinda mixed",  # one question: how the reviews seem
        "pros_and_cons",
        {"product": "AeroBrew"},
    ),
    ("review-sentiment", "how is the AeroBrew rated?", "rating_summary", {"product": "AeroBrew"}),
    (
        "review-sentiment",
        "reviews of the tent mentioning rain",
        "search_reviews",
        {"keyword": "rain", "product": "tent"},
    ),
]


@pytest.mark.parametrize(("agent", "ask", "tool_name", "arguments"), CALLED)
async def test_calls_the_right_tool_with_arguments_from_the_ask(
    agent: str, ask: str, tool_name: str, arguments: dict[str, Any]
) -> None:
    response = await specialist(agent).run(ask)
    assert calls(response) == [(tool_name, arguments)]


async def test_answers_with_the_facts_of_the_result_after_one_call() -> None:
    client = OfflineChatClient()
    response = await specialist("inventory-fulfillment", client=client).run("is the TrailPeak 2 tent in stock?")
    assert client.calls == 2  # the call, then the answer: never a second tool in the same turn
    for fact in ("TrailPeak 2 Backpacking Tent (OUT-300)", "in stock", "42", "WH-EAST", "Frankfurt", "12"):
        assert fact in response.text


async def test_a_result_with_a_message_is_answered_with_it_alone() -> None:
    response = await specialist("pricing-promotions").run("is TRAIL20 valid for the tent?")
    assert response.text == "TRAIL20 is valid: 20% off outdoor gear over $150."


async def test_money_and_nested_records_state_their_facts() -> None:
    response = await specialist("inventory-fulfillment").run("ship OUT-300 to us-west")
    for fact in ("SkyExpress", "overnight", "$24.50", "ParcelPost", "$5.99"):
        assert fact in response.text


async def test_a_failing_tool_is_reported_plainly() -> None:
    @tool
    def track_order(order_id: str) -> dict[str, Any]:
        """Track an order, e.g. ORD-1001."""
        raise LookupError(f"no order {order_id}")

    response = await make_agent([track_order]).run("where is ORD-9999?")
    assert response.text.startswith("Sorry")


async def test_an_error_result_is_said_plainly() -> None:
    @tool
    def track_order(order_id: str) -> dict[str, Any]:
        """Track an order, e.g. ORD-1001."""
        return {"error": f"Order {order_id} not found", "order_id": order_id}

    response = await make_agent([track_order]).run("where is ORD-9999?")
    assert response.text == "Sorry, order ORD-9999 not found."


async def test_follow_up_with_only_an_id_reuses_the_last_tool() -> None:
    agent = specialist("order-management")
    session = agent.create_session()
    await agent.run("where is my order ORD-1001?", session=session)
    response = await agent.run("and ORD-1002?", session=session)
    assert calls(response) == [("track_order", {"order_id": "ORD-1002"})]


async def test_follow_up_with_only_a_name_reuses_the_last_tool() -> None:
    agent = specialist("review-sentiment")
    session = agent.create_session()
    await agent.run("what do people say about the AeroBrew?", session=session)
    response = await agent.run("what about the Aurora Pro?", session=session)
    assert calls(response) == [("pros_and_cons", {"product": "Aurora Pro"})]


async def test_a_missing_value_is_taken_from_an_earlier_answer() -> None:
    conversation = [
        Message("user", ["show me tents"]),
        Message("assistant", ["TrailPeak 2 Backpacking Tent (OUT-300), $349.00."], author_name="product-discovery"),
        Message("user", ["is it in stock?"]),
    ]
    response = await specialist("inventory-fulfillment").run(conversation)
    assert calls(response) == [("check_stock", {"product": "OUT-300"})]


async def test_a_missing_identifier_is_looked_up_with_the_listing_tool() -> None:
    response = await specialist("order-management").run("track my order please")
    assert calls(response) == [("list_orders", {})]
    assert "ORD-1001" in response.text


async def test_a_value_no_tool_can_find_is_asked_for() -> None:
    response = await specialist("pricing-promotions").run("is the coupon valid for the tent?")
    assert calls(response) == []
    assert response.text.startswith("Which ") and "TRAIL20" in response.text


@pytest.mark.parametrize(
    ("agent", "ask"),
    [
        ("order-management", "is it in stock?"),
        ("order-management", "what do people say about the AeroBrew?"),
        ("inventory-fulfillment", "where is my order ORD-1001?"),
        ("product-discovery", "is the tent in stock?"),
        ("product-discovery", "is TRAIL20 valid?"),
        ("pricing-promotions", "how is the tent rated?"),
        ("review-sentiment", "hello"),
        ("order-management", "great, thanks a lot. have a nice weekend!"),  # the front desk answers goodbyes
        ("review-sentiment", "ok cheers, bye"),
        ("pricing-promotions", "and do you have them near me?"),  # "you have them": whether the store has them
        ("order-management", "sweet. do people actually like them?"),  # "actually" is no actual delivery date
        ("product-discovery", "what are the main complaints"),
    ],
)
async def test_hands_back_what_it_does_not_own(agent: str, ask: str) -> None:
    response = await specialist(agent).run(ask)
    assert [name for name, _ in calls(response)] == ["handoff_to_orchestrator"]


async def test_acknowledgement_gets_text_without_a_call() -> None:
    response = await specialist("order-management").run("ok, thanks")
    assert calls(response) == []
    assert "welcome" in response.text


async def test_without_a_handoff_tool_an_out_of_domain_ask_is_declined() -> None:
    response = await make_agent(TOOLSETS["order-management"]).run("is it in stock?")
    assert calls(response) == []
    assert response.text.startswith("Sorry, that is outside what I can help with here.")


async def test_tool_choice_none_means_text_only() -> None:
    client = OfflineChatClient()
    response = await client.get_response(
        [Message("user", ["where is my order ORD-1001?"])],
        options={"tools": [*TOOLSETS["order-management"], BACK], "tool_choice": "none"},
    )
    assert [c.type for m in response.messages for c in m.contents] == ["text"]


async def test_a_bare_value_answers_the_previous_ask() -> None:
    conversation = [
        Message("user", ["cancel my order please"]),
        Message("assistant", ["Which order do you mean? Please give the order id, e.g. ORD-1001."]),
        Message("user", ["ORD-1003"]),
    ]
    response = await specialist("order-management").run(conversation)
    assert calls(response) == [("cancel_order", {"order_id": "ORD-1003"})]


@tool
def find_headphones(
    query: Annotated[str, Field(description="What the shopper is looking for, e.g. wireless headphones")],
) -> dict[str, Any]:
    """Search the product catalog."""
    return {
        "count": 2,
        "products": [
            {"sku": "AUD-101", "name": "Aurora Pro", "price": 299.0, "attributes": {"battery_hours": 30}},
            {"sku": "AUD-100", "name": "Aurora ANC", "price": 179.0, "attributes": {"battery_hours": 40}},
        ],
    }


@pytest.mark.parametrize(
    ("ask", "answer"),
    [("which one has the longest battery?", "Aurora ANC (AUD-100)"), ("which is cheapest", "Aurora ANC (AUD-100)")],
)
async def test_which_one_of_a_listing_is_answered_from_the_listing(ask: str, answer: str) -> None:
    agent = make_agent([find_headphones, BACK], name="product-discovery")
    session = agent.create_session()
    await agent.run("show me wireless headphones", session=session)
    response = await agent.run(ask, session=session)
    assert calls(response) == [] and answer in response.text


@tool
def coupon_terms(
    code: Annotated[str, Field(description="The coupon code, e.g. TRAIL20")],
    products: Annotated[list[str] | None, Field(description="Products in the cart, each a SKU or name")] = None,
) -> dict[str, Any]:
    """What a coupon code gives; with products, whether it is valid for them."""
    if products:
        return {"error": "not_found", "query": products[0], "message": f"No product matches '{products[0]}'."}
    return {"code": code, "message": f"{code}: 20% off outdoor gear, valid until 2027-03-31."}


async def test_an_optional_value_the_tool_cannot_find_is_left_out_and_the_call_made_again() -> None:
    response = await make_agent([coupon_terms, BACK], name="pricing-promotions").run("when does TRAIL20 expire")
    assert calls(response) == [
        ("coupon_terms", {"code": "TRAIL20", "products": ["expire"]}),
        ("coupon_terms", {"code": "TRAIL20"}),
    ]
    assert response.text == "TRAIL20: 20% off outdoor gear, valid until Mar 31, 2027."


async def test_an_ask_sharing_only_an_examples_word_with_the_hand_back_is_searched_here() -> None:
    response = await specialist("product-discovery").run("my desk chair is killing me, anything comfier?")
    assert [name for name, _ in calls(response)] == ["search_products"]  # "The front desk" sells no desks
