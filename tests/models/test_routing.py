"""The offline model as the orchestrator: routing asks to the specialist that owns them, from descriptions only."""

from __future__ import annotations

import pytest

from tests.models.fakes import ROUTES
from tests.models.support import calls, make_agent

ROUTED = [
    ("noise-cancelling headphones under $200", "product-discovery"),
    ("show me tents", "product-discovery"),
    ("I like the look of the merino base layer", "product-discovery"),
    ("I'd like a tent for 4 people", "product-discovery"),
    ("tell me about the AeroBrew espresso machine", "product-discovery"),
    ("compare the Aurora and the Aurora Pro", "product-discovery"),
    ("where is my order ORD-1001?", "order-management"),
    ("cancel my last order", "order-management"),
    ("what was in ORD-1002?", "order-management"),
    ("is my package delivered yet?", "order-management"),
    ("when will my desk arrive", "order-management"),
    ("i ordered a grinder on monday, any idea when it gets here?", "order-management"),  # placed: no stock question
    ("what's happening with the chair i sent back", "order-management"),  # a return, not a restock
    ("my headphones are falling apart, want something comfier for the gym", "product-discovery"),  # had, not ordered
    ("any package deal on a tent and a stove?", "pricing-promotions"),
    ("just got back from a hike and my boots are done, need new trail shoes", "product-discovery"),  # no restock
    ("which earbuds have the best noise cancelling", "product-discovery"),  # "best" is no best price
    ("how much did i pay for the headphones", "order-management"),
    ("did i ever buy a headlamp", "order-management"),  # a stressing word inside a phrase
    ("my kettle should be here already", "order-management"),  # a delivery that is late
    ("ok what else can track my sleep then", "product-discovery"),  # what a thing does, no order tracked
    ("anything that can ship by friday?", "inventory-fulfillment"),  # what is done to the thing
    ("when did my smartwatch arrive? need it for a warranty form", "order-management"),  # no product needed
    ("has my grinder left the warehouse?", "order-management"),  # shipped, no stock question
    ("the chair i got last week, where's it at", "order-management"),
    ("is TRAIL20 valid for the tent?", "pricing-promotions"),
    ("does WELCOME10 work on any order?", "pricing-promotions"),
    ("first time buying here, do u guys have a first order discount", "pricing-promotions"),  # a discount's kind
    ("what did my first order cost", "order-management"),  # an order placed
    ("how much would that take off the vacuum blender", "pricing-promotions"),  # what a discount takes off
    ("any deals on headphones?", "pricing-promotions"),
    ("any bundles for the espresso machine?", "pricing-promotions"),
    ("what's my loyalty discount?", "pricing-promotions"),
    ("what do people say about the AeroBrew?", "review-sentiment"),
    ("how is the tent rated?", "review-sentiment"),
    ("pros and cons of the ErgoChair", "review-sentiment"),
    ("which is rated higher, AUD-100 or AUD-101?", "review-sentiment"),
    ("is the vacuum blender any good or nah", "review-sentiment"),  # a tag asking for a yes or no ends the clause
    ("i got a question about tents", "product-discovery"),  # asking about asking names no desk
    ("the family tent i got, is it still on the way?", "order-management"),  # on its way: a shipment tracked
    ("my rain jacket is stuck in denver?? its supposed to go to italy", "order-management"),  # one question
    ("are people happy w/ them", "review-sentiment"),
    ("i ordered a grinder a while back, when did it arrive", "order-management"),  # "a while back": no restock
    ("ok so what else is there like the smart ring", "product-discovery"),  # alternatives, not a liking
    ("is OUT-300 in stock?", "inventory-fulfillment"),
    ("how many trailpeak 2 do u have in reno", "inventory-fulfillment"),  # a name in lower case, no "the"
    ("cool, and how much is shipping on them to my place", "inventory-fulfillment"),  # home, no order "placed"
    ("can you ship to eu-central?", "inventory-fulfillment"),
    ("when will the espresso machine be back in stock?", "inventory-fulfillment"),
    ("is the TrailPeak 2 tent available?", "inventory-fulfillment"),
    ("which carriers ship from us-east to us-west?", "inventory-fulfillment"),
]


@pytest.mark.parametrize(("ask", "target"), ROUTED)
async def test_routes_each_ask_to_its_owner(ask: str, target: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert [name for name, _ in calls(response)] == [f"handoff_to_{target}"]
    assert calls(response)[0][1] == {}


@pytest.mark.parametrize("ask", ["hi", "hello there", "what can you do?", "what else can you do?"])
async def test_greets_and_lists_what_it_can_help_with(ask: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert calls(response) == []
    text = response.text
    assert text.startswith("Hello!")
    for area in ("product discovery", "order management", "pricing and promotions", "review sentiment"):
        assert area in text


async def test_an_ok_before_a_phrase_that_asks_is_no_acknowledgement() -> None:
    response = await make_agent(ROUTES, name="orchestrator").run("ok and when will it show up")
    assert [name for name, _ in calls(response)] != []


@pytest.mark.parametrize("ask", ["thanks!", "lol ok thx for being honest"])
async def test_thanks_gets_a_short_polite_reply(ask: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert calls(response) == []
    assert "welcome" in response.text.lower()


@pytest.mark.parametrize("ask", ["bye", "perfect, thanks so much. have a great day!", "ok thx, take care"])
async def test_says_goodbye(ask: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert calls(response) == []
    assert "goodbye" in response.text.lower()


async def test_whether_a_thing_suits_a_use_is_the_catalogs_question() -> None:
    # the use ("rocky trails") says what the thing is for: no word of it is one the store must know
    response = await make_agent(ROUTES, name="orchestrator").run("r those ok for rocky trails?")
    assert [name for name, _ in calls(response)] == ["handoff_to_product-discovery"]


async def test_a_question_for_what_the_thing_spoken_of_has_is_about_the_product() -> None:
    response = await make_agent(ROUTES, name="orchestrator").run("whats the drop on them")
    assert [name for name, _ in calls(response)] == ["handoff_to_product-discovery"]


@pytest.mark.parametrize("ask", ["whats ur return policy, how many days do i get", "what is your shipping policy"])
async def test_a_store_policy_is_no_desks_business_though_it_names_a_return_or_shipping(ask: str) -> None:
    # "return policy" is a policy: the front desk says what it can help with, no desk's tool answers it
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert calls(response) == []


async def test_a_return_of_an_order_is_still_the_orders_desks() -> None:
    response = await make_agent(ROUTES, name="orchestrator").run("ok so wheres my monitor return at")
    assert [name for name, _ in calls(response)] == ["handoff_to_order-management"]
