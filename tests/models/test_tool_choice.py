"""The offline model's choice among one desk's tools (round seven): places, a price in another sense, a
status value's field, and a listing narrowed by a condition its filter cannot take."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from agent_framework import FunctionTool, Message, tool
from pydantic import Field

from agents.definitions import ORDER_MANAGEMENT, get_definition
from agents.models.offline.lexicon import place_terms
from agents.models.offline.narrowing import narrowed
from agents.models.offline.profiles import profile_of
from tests.models.fakes import BACK, TOOLSETS
from tests.models.support import calls, exchange, make_agent

Status = Literal["placed", "processing", "shipped", "delivered", "cancelled"]
Region = Literal["us-east", "us-central", "us-west", "eu-central"]
OrderId = Annotated[str, Field(description="The order id, e.g. ORD-1001")]
ORDERS = [
    {"order_id": "ORD-1021", "created_at": "2026-11-19", "status": "processing", "total": 482.99},
    {"order_id": "ORD-1019", "created_at": "2026-11-17", "status": "shipped", "total": 144.99},
    {"order_id": "ORD-1016", "created_at": "2026-11-16", "status": "placed", "total": 203.99},
    {"order_id": "ORD-1008", "created_at": "2026-09-21", "status": "delivered", "total": 64.99},
]


@tool
def list_my_orders(
    status: Annotated[Status | None, Field(description="Only orders with this status, e.g. shipped")] = None,
) -> dict[str, Any]:
    """List the shopper's orders, newest first. Returns each order's id, date, status and total."""
    found = [o for o in ORDERS if status in (None, o["status"])]
    listing = "; ".join(f"{o['order_id']} ({o['status']}, ${o['total']})" for o in found)
    return {"orders": found, "message": f"You have {len(found)} orders: {listing}."}


@tool
def get_order_details(order_id: OrderId) -> dict[str, Any]:
    """Details of one of the shopper's orders: items, amounts, status and its history."""
    return {"order_id": order_id, "created_at": "2026-11-15", "message": f"{order_id} from 2026-11-15 is shipped."}


@tool
def track_order(order_id: OrderId) -> dict[str, Any]:
    """Track one of the shopper's orders: whether it has shipped, carrier, tracking number and delivery date."""
    return {"order_id": order_id, "message": f"{order_id} shipped with ParcelPost."}


@tool
def estimate_shipping(
    product: Annotated[str, Field(description="SKU or product name, e.g. OUT-300")],
    region: Annotated[Region | None, Field(description="Destination region, e.g. us-east")] = None,
) -> dict[str, Any]:
    """Shipping estimate for a product to a region: the cheapest and fastest option, cost, days and date."""
    return {"product": product, "region": region, "message": f"It ships to {region} for $5.99."}


ORDER_TOOLS: list[FunctionTool] = [list_my_orders, get_order_details, track_order, BACK]


def test_a_place_something_is_in_says_where_and_a_place_it_goes_to_is_a_destination() -> None:
    assert "eu-central" in place_terms("is the kettle in stock in europe?")
    assert place_terms("how much to send the kettle to germany?") == frozenset()
    assert place_terms("is the kettle in stock?") == frozenset()


async def test_a_stock_ask_with_a_place_checks_stock_and_a_shipping_ask_estimates_shipping() -> None:
    agent = make_agent([TOOLSETS["inventory-fulfillment"][0], estimate_shipping, BACK])
    stock = await agent.run("is the tent in stock in europe?")
    assert calls(stock) == [("check_stock", {"product": "tent"})]
    shipping = await agent.run("how fast can the tent get to germany?")
    assert calls(shipping) == [("estimate_shipping", {"product": "tent", "region": "eu-central"})]


async def test_do_you_have_it_somewhere_asks_whether_it_is_in_stock() -> None:
    agent = make_agent([TOOLSETS["inventory-fulfillment"][0], estimate_shipping, BACK])
    conversation = [
        Message("user", ["tell me about the TrailPeak 2 tent"]),
        Message("assistant", ["TrailPeak 2 Backpacking Tent (OUT-300), $239.00."], author_name="product-discovery"),
        Message("user", ["do u have it in dallas?"]),
    ]
    assert calls(await agent.run(conversation)) == [("check_stock", {"product": "OUT-300"})]


async def test_a_cost_asked_of_a_product_is_a_price_the_shipping_desk_hands_back() -> None:
    agent = make_agent([TOOLSETS["inventory-fulfillment"][0], estimate_shipping, BACK])
    shipped = [
        Message("user", ["can the TrailPeak 2 tent get to chicago?"]),
        Message("assistant", ["TrailPeak 2 Backpacking Tent (OUT-300) ships to us-central for $5.99."]),
    ]
    price = await agent.run([*shipped, Message("user", ["what does it cost?"])])
    assert [name for name, _ in calls(price)] == ["handoff_to_orchestrator"]
    shipping = await agent.run([*shipped, Message("user", ["what does shipping cost to us-west?"])])
    assert calls(shipping) == [("estimate_shipping", {"product": "OUT-300", "region": "us-west"})]


async def test_a_status_no_description_names_asks_after_the_tool_that_gives_status_and_history() -> None:
    response = await make_agent(ORDER_TOOLS).run("when was ORD-1006 placed?")
    assert calls(response) == [("get_order_details", {"order_id": "ORD-1006"})]
    assert "2026-11-15" in response.text or "Nov 15, 2026" in response.text


async def test_two_values_of_a_filter_list_all_and_state_those_that_match() -> None:
    response = await make_agent(ORDER_TOOLS).run("which of my orders are still processing or placed?")
    assert calls(response) == [("list_my_orders", {})]
    assert "ORD-1021" in response.text and "ORD-1016" in response.text
    assert "ORD-1019" not in response.text and "ORD-1008" not in response.text


def test_a_negated_value_keeps_the_values_before_it() -> None:
    profile = profile_of(list_my_orders)
    result = list_my_orders.func()  # type: ignore[union-attr]
    data = narrowed("which of my orders haven't shipped yet?", profile, result)
    assert [o["order_id"] for o in data["orders"]] == ["ORD-1021", "ORD-1016"]
    assert "ORD-1019" not in data["message"] and "Of those, 2 are placed or processing" in data["message"]
    assert narrowed("show my orders", profile, result) is result
    undelivered = narrowed("anything not delivered yet?", profile, result)
    assert [o["order_id"] for o in undelivered["orders"]] == ["ORD-1021", "ORD-1019", "ORD-1016"]


async def test_a_place_is_no_product() -> None:
    agent = make_agent([*TOOLSETS["inventory-fulfillment"], BACK])
    conversation = [
        Message("user", ["is the TrailPeak 2 tent in stock?"]),
        Message("assistant", ["TrailPeak 2 Backpacking Tent (OUT-300) has 3 in stock, all at WH-WEST (Reno, NV)."]),
        Message("user", ["when does reno get more?"]),
    ]
    assert calls(await agent.run(conversation)) == [("next_restock", {"product": "OUT-300"})]
    canada = await agent.run("do u guys ship to canada")  # a place in none of the regions, no product
    assert calls(canada) == []
    assert "product" in canada.text


@tool
def best_price_for_cart(
    products: Annotated[list[str], Field(description="SKUs or product names, e.g. KIT-200")],
) -> dict[str, Any]:
    """The best price for a cart: combines bundle savings, the best single coupon and the signed-in shopper's
    loyalty discount, with the breakdown."""
    return {}


@tool
def list_loyalty_tiers() -> dict[str, Any]:
    """Loyalty tiers and member discounts: the percent off and free-shipping threshold for bronze, silver and
    gold, the coupon codes for members, and the signed-in shopper's tier."""
    return {}


async def test_a_phrase_that_is_one_word_and_a_bound_word_name_no_product() -> None:
    agent = make_agent([best_price_for_cart, list_loyalty_tiers, BACK])
    response = await agent.run("whats the free shipping minimum for my tier")
    assert [name for name, _ in calls(response)] == ["list_loyalty_tiers"]


@tool
def list_carriers(
    from_region: Annotated[Region, Field(description="Region shipped from, e.g. us-east")],
    to_region: Annotated[Region, Field(description="Region shipped to, e.g. us-west")],
) -> dict[str, Any]:
    """Carriers and shipping services between two regions, with cost and delivery days."""
    return {"message": f"From {from_region} to {to_region}: SwiftShip overnight $29.99, 1 day."}


async def test_a_route_within_one_region_starts_and_ends_there() -> None:
    agent = make_agent([list_carriers, BACK])
    assert calls(await agent.run("which carriers ship within us-east?")) == [
        ("list_carriers", {"from_region": "us-east", "to_region": "us-east"})
    ]
    assert calls(await agent.run("which carriers ship from the reno warehouse to new york")) == [
        ("list_carriers", {"from_region": "us-west", "to_region": "us-east"})  # a place names no product
    ]
    assert calls(await agent.run("carriers from us-east to eu-central?")) == [
        ("list_carriers", {"from_region": "us-east", "to_region": "eu-central"})
    ]


async def test_a_word_written_as_the_instructions_disown_it_is_not_the_sense_the_tools_know() -> None:
    # The instructions disown "shipping to a region"; the tools know "shipped".
    desk = make_agent(ORDER_TOOLS, name=ORDER_MANAGEMENT.name, instructions=ORDER_MANAGEMENT.instructions)
    options = await desk.run("whats the fastest shipping option within us-east")
    assert [name for name, _ in calls(options)] == ["handoff_to_orchestrator"]
    assert calls(await desk.run("has ORD-1019 shipped yet?")) == [("track_order", {"order_id": "ORD-1019"})]


async def test_a_desk_hands_back_what_is_sent_somewhere_and_codes_made_as_codes_are() -> None:
    orders = get_definition("order-management")  # disowns shipping to a region and codes
    desk = make_agent(ORDER_TOOLS, name=orders.name, instructions=orders.instructions)
    sent = await desk.run("ok nvm. whats the cheapest way to ship the camp stove to germany")
    assert [name for name, _ in calls(sent)] == ["handoff_to_orchestrator"]
    mine = await desk.run("has my jacket shipped to italy yet")
    assert [name for name, _ in calls(mine)] != ["handoff_to_orchestrator"]
    products = get_definition("product-discovery")
    finder = make_agent([*TOOLSETS["product-discovery"], BACK], name=products.name, instructions=products.instructions)
    assert [name for name, _ in calls(await finder.run("does DESK50 work on it?"))] == ["handoff_to_orchestrator"]
    assert calls(await finder.run("compare the Aurora S3 and the Aurora Pro")) == [
        ("compare_products", {"products": ["Aurora S3", "Aurora Pro"]})  # a model's number is no code
    ]


async def test_a_product_added_to_the_cart_spoken_of_is_priced_with_it() -> None:
    agent = make_agent([best_price_for_cart, list_loyalty_tiers, BACK])
    earlier = [
        Message("user", ["best price on the standing desk?"]),
        *exchange(1, "best_price_for_cart", {"products": ["standing desk"]}, {"message": "$499.00."}),
        Message("assistant", ["The best price for the standing desk is $499.00."]),
    ]
    added = await agent.run([*earlier, Message("user", ["and if i add the mesh chair whats the best price i can get"])])
    assert calls(added) == [("best_price_for_cart", {"products": ["standing desk", "mesh chair"]})]
    alone = await agent.run([*earlier, Message("user", ["and whats the best price on the mesh chair"])])
    assert calls(alone) == [("best_price_for_cart", {"products": ["mesh chair"]})]


WATCHES = [
    {"sku": "WEA-500", "name": "Stride Smartwatch S3", "price": 249.0},
    {"sku": "WEA-502", "name": "Stride Smartwatch S3 Titanium", "price": 399.0},
]


@tool
def find_products(
    query: Annotated[str, Field(description="What the shopper is looking for, e.g. noise-cancelling headphones")],
) -> dict[str, Any]:
    """Search the product catalog by text."""
    found = WATCHES if "watch" in query else []
    return {"results": found, "message": f"Found {len(found)} products."}


@tool
def compare(
    products: Annotated[list[str], Field(description="Two or three different products, each a SKU or a name")],
) -> dict[str, Any]:
    """Compare products side by side: price and specifications."""
    if len(set(products)) < 2:
        return {"error": "invalid_request", "message": "Please name two or three different products."}
    return {"products": [w for w in WATCHES if w["sku"] in products], "message": f"Compared {', '.join(products)}."}


async def test_a_comparison_of_a_kind_compares_the_products_a_search_for_it_finds() -> None:
    response = await make_agent([find_products, compare, BACK], name="product-discovery").run(
        "compare the two smartwatches"
    )
    assert [name for name, _ in calls(response)] == ["compare", "find_products", "compare"]
    assert calls(response)[-1] == ("compare", {"products": ["WEA-500", "WEA-502"]})
    assert response.text == "Compared WEA-500, WEA-502."


async def test_a_need_for_a_kind_of_thing_is_a_search_the_reviews_desk_hands_back() -> None:
    reviews = get_definition("review-sentiment")  # its instructions disown finding products
    desk = make_agent([*TOOLSETS["review-sentiment"], BACK], name=reviews.name, instructions=reviews.instructions)
    assert [name for name, _ in calls(await desk.run("lol ok. need a stove for camping"))] == [
        "handoff_to_orchestrator"
    ]
    assert [name for name, _ in calls(await desk.run("is the camp stove any good?"))] != ["handoff_to_orchestrator"]


async def test_the_other_orders_are_listed_without_the_one_spoken_of() -> None:
    agent = make_agent(ORDER_TOOLS, name="order-management")
    earlier = [
        Message("user", ["where is ORD-1019?"]),
        *exchange(1, "track_order", {"order_id": "ORD-1019"}, track_order.func("ORD-1019")),
        Message("assistant", ["ORD-1019 shipped with ParcelPost."]),
    ]
    others = await agent.run([*earlier, Message("user", ["what about my other orders?"])])
    assert calls(others) == [("list_my_orders", {})]
    assert others.text == (
        "You have 4 orders. Besides ORD-1019: ORD-1021 (processing, $482.99); ORD-1016 (placed, $203.99); "
        "ORD-1008 (delivered, $64.99)."
    )


async def test_what_if_instead_asks_the_same_of_another_thing() -> None:
    agent = make_agent([*TOOLSETS["pricing-promotions"], BACK], name="pricing-promotions")
    earlier = [
        Message("user", ["does TRAIL20 work on the daypack?"]),
        *exchange(1, "validate_coupon", {"code": "TRAIL20", "product": "daypack"}, {"message": "TRAIL20 needs $150."}),
        Message("assistant", ["TRAIL20 needs $150.00 of outdoor items."]),
    ]
    instead = await agent.run([*earlier, Message("user", ["ok what if i get the 45L backpack instead"])])
    assert [name for name, _ in calls(instead)] == ["validate_coupon"]
    assert calls(instead)[0][1]["code"] == "TRAIL20"


@tool
def check_code(
    code: Annotated[str, Field(description="The coupon code, e.g. TRAIL20")],
    products: Annotated[list[str], Field(description="The products in the cart, each a SKU, e.g. OUT-300")],
) -> dict[str, Any]:
    """Check a coupon code on the products given: whether it is valid and what it saves."""
    return {"message": f"{code} on {', '.join(products)}."}


async def test_it_in_a_list_is_the_one_thing_the_answer_told_of_first() -> None:
    agent = make_agent([check_code, BACK], name="pricing-promotions")
    told = (
        "For 4 people or more: the TrailPeak 4 Family Tent (OUT-301). Found 2 products: TrailPeak 2 Backpacking "
        "Tent (OUT-300), $239.00; TrailPeak 4 Family Tent (OUT-301), $349.00."
    )
    earlier = [Message("user", ["need a tent that fits 4 ppl"]), Message("assistant", [told])]
    one = await agent.run([*earlier, Message("user", ["does TRAIL20 work on it"])])
    assert calls(one) == [("check_code", {"code": "TRAIL20", "products": ["OUT-301"]})]
    both = await agent.run([*earlier, Message("user", ["does TRAIL20 work on both"])])
    assert calls(both) == [("check_code", {"code": "TRAIL20", "products": ["OUT-301", "OUT-300"]})]


@tool
def check_bundle(
    products: Annotated[list[str], Field(description="The products in the cart, each a SKU, e.g. OUT-300")],
) -> dict[str, Any]:
    """Check whether products qualify for a bundle discount, and what to add to complete a bundle; a bundle's name
    (e.g. Camp kit) stands for its items."""
    return {"message": f"No bundle includes {', '.join(products)}."}


async def test_adding_a_thing_asks_the_question_before_again_of_the_cart_with_it() -> None:
    agent = make_agent([check_code, check_bundle, BACK], name="pricing-promotions")
    earlier = [
        Message("user", ["would TRAIL20 work on the daypack"]),
        *exchange(1, "check_code", {"code": "TRAIL20", "products": ["daypack"]}, {"message": "TRAIL20 needs $150."}),
        Message("assistant", ["TRAIL20 needs $150.00 of outdoor items."]),
    ]
    for ask in ("what if i add the trekking poles too", "and if i throw in the trekking poles?"):
        made = calls(await agent.run([*earlier, Message("user", [ask])]))
        assert made == [("check_code", {"code": "TRAIL20", "products": ["daypack", "trekking poles"]})], ask
    # "camp" is a word of the bundle tool's example only: the follow-up still asks the question before
    made = calls(await agent.run([*earlier, Message("user", ["and if i throw in the camp stove too?"])]))
    assert made == [("check_code", {"code": "TRAIL20", "products": ["daypack", "camp stove"]})]
    asked = calls(await agent.run([*earlier, Message("user", ["what would i need to add to get a bundle"])]))
    assert [name for name, _ in asked] == ["check_bundle"]


async def test_whether_the_things_of_an_order_suit_a_use_is_handed_back_by_the_orders_desk() -> None:
    desk = make_agent(ORDER_TOOLS, name="order-management", instructions=ORDER_MANAGEMENT.instructions)
    earlier = [
        Message("user", ["did my trail shoes ship yet?"]),
        *exchange(1, "track_order", {"order_id": "ORD-1019"}, track_order.func("ORD-1019")),
        Message("assistant", ["ORD-1019 shipped with ParcelPost."]),
    ]
    for ask in ("r those ok for rocky trails?", "are they fine for winter hiking"):
        made = calls(await desk.run([*earlier, Message("user", [ask])]))
        assert [name for name, _ in made] == ["handoff_to_orchestrator"], ask


async def test_a_question_about_the_thing_spoken_of_in_words_no_tool_knows_is_another_desks() -> None:
    desk = make_agent(ORDER_TOOLS, name="order-management", instructions=ORDER_MANAGEMENT.instructions)
    earlier = [
        Message("user", ["did my trail shoes ship yet?"]),
        *exchange(1, "track_order", {"order_id": "ORD-1019"}, track_order.func("ORD-1019")),
        Message("assistant", ["ORD-1019 shipped with ParcelPost."]),
    ]
    for ask in ("whats the drop on them", "are they waterproof?", "what's the warranty on those"):
        made = calls(await desk.run([*earlier, Message("user", [ask])]))
        assert [name for name, _ in made] == ["handoff_to_orchestrator"], ask
    for ask in ("is it late?", "whats the eta on it", "has it left yet", "and the sleeping bags?"):
        made = calls(await desk.run([*earlier, Message("user", [ask])]))
        assert [name for name, _ in made] != ["handoff_to_orchestrator"], ask


async def test_a_price_asked_where_no_tool_prices_things_is_handed_back() -> None:
    stock = get_definition("inventory-fulfillment")
    desk = make_agent([*TOOLSETS["inventory-fulfillment"], BACK], name=stock.name, instructions=stock.instructions)
    earlier = [
        Message("user", ["how quick can u get the trailpeak 2 tent to me"]),
        Message("assistant", ["TrailPeak 2 Backpacking Tent (OUT-300) ships from WH-WEST: ParcelPost for $7.99."]),
    ]
    for ask in ("ok and if i add the sleeping bag whats the best price i can get", "and whats the price of it"):
        made = calls(await desk.run([*earlier, Message("user", [ask])]))
        assert [name for name, _ in made] == ["handoff_to_orchestrator"], ask
    shipping = calls(await desk.run([*earlier, Message("user", ["and whats the price of shipping it to eu-central"])]))
    assert [name for name, _ in shipping] != ["handoff_to_orchestrator"]


async def test_adding_to_the_one_thing_spoken_of_prices_it_with_what_is_added() -> None:
    agent = make_agent([best_price_for_cart, BACK], name="pricing-promotions")
    earlier = [
        Message("user", ["how quick can u get the trailpeak 2 tent to me"]),
        Message("assistant", ["TrailPeak 2 Backpacking Tent (OUT-300) ships from WH-WEST: ParcelPost for $7.99."]),
    ]
    ask = "ok and if i add the sleeping bag and the camp stove whats the best price i can get"
    made = calls(await agent.run([*earlier, Message("user", [ask])]))
    assert made == [("best_price_for_cart", {"products": ["OUT-300", "sleeping bag", "camp stove"]})]
