"""How the offline model names what the shopper refers to: loose product names, pronouns, orders by their items."""

from __future__ import annotations

import json
from typing import Annotated, Any

from agent_framework import Content, Message, tool
from pydantic import Field

from agents.models.offline.arguments import extract_arguments
from agents.models.offline.conversation import Evidence
from agents.models.offline.profiles import profile_of
from agents.models.offline.references import points_back, refers_to_many, resolve
from agents.models.offline.text import measure
from tests.models.fakes import BACK
from tests.models.support import calls, make_agent

_CATALOG = {"OFF-402": "UltraView 27-inch 4K Monitor", "OFF-403": "UltraView 34-inch Ultrawide"}
_SPEAKERS = {"sku": "AUD-105", "name": "Studio Monitor 5 Bookshelf Speakers"}


def _not_found(text: str) -> dict[str, Any]:
    """A lookup that finds nothing: the monitor whose size the text gives is suggested, with the speakers
    for a "monitor"."""
    suggestions = [{"sku": "OFF-402", "name": _CATALOG["OFF-402"]}] if "27" in text else []
    suggestions += [_SPEAKERS] if "monitor" in text else []
    return {"error": "not_found", "query": text, "suggestions": suggestions, "message": f"No product '{text}'."}


@tool
def compare_products(
    products: Annotated[list[str], Field(description="Two or three products, each a SKU or a product name")],
) -> dict[str, Any]:
    """Compare two or three products side by side: price, features and specifications."""
    for product in products:
        if product not in _CATALOG and product != "ultrawide":
            return _not_found(product)
    return {"products": [{"sku": sku, "name": name} for sku, name in _CATALOG.items()], "message": "Compared."}


@tool
def get_product_details(product: Annotated[str, Field(description="SKU or product name")]) -> dict[str, Any]:
    """Full details of one product: description, price and specifications."""
    if product not in _CATALOG:
        return _not_found(product)
    return {"sku": product, "name": _CATALOG[product], "message": f"{_CATALOG[product]} ({product})."}


def test_a_size_is_its_number_and_unit_however_written() -> None:
    assert measure("27in") == measure("27-inch") == measure("27inches") == ("27", "inch")
    assert measure("5.5L") == ("5.5", "litre")
    assert measure("4K") is None


async def test_a_loose_name_is_called_again_as_the_product_suggested_after_another_item_named_nothing() -> None:
    agent = make_agent([compare_products, BACK], name="product-discovery")
    response = await agent.run("torn between the 27in 4k screen and the ultrawide, what's the difference")
    made = [arguments["products"] for _, arguments in calls(response)]
    assert made[-1] == ["OFF-402", "ultrawide"]
    assert len(made) == len({json.dumps(m) for m in made})  # no call is made twice
    assert response.text == "Compared."


async def test_of_several_suggestions_the_one_of_the_size_written_is_taken() -> None:
    response = await make_agent([get_product_details, BACK], name="product-discovery").run("the 27in monitor specs")
    assert calls(response)[-1] == ("get_product_details", {"product": "OFF-402"})


@tool
def find_products(
    query: Annotated[str | None, Field(description="What the shopper is looking for, e.g. headphones")] = None,
) -> dict[str, Any]:
    """Search the product catalog by text."""
    return {"count": 0, "products": [], "message": "No products match that search."}


@tool
def product_details(
    product: Annotated[str, Field(description="The product: its SKU, e.g. OUT-300, or its name")],
) -> dict[str, Any]:
    """Full details of one product: description, price and specifications."""
    return get_product_details.func(product)


async def test_a_question_for_what_the_thing_spoken_of_has_asks_about_that_thing() -> None:
    agent = make_agent([find_products, product_details, BACK], name="product-discovery")
    earlier = [
        Message("user", ["does DESK50 work if i only buy the ultrawide"]),
        Message("assistant", ["DESK50 takes $50.00 off. New total for UltraView Ultrawide (OFF-403): $499.00."]),
    ]
    for ask in ("whats the refresh rate on it", "what is the warranty of that one"):
        made = calls(await agent.run([*earlier, Message("user", [ask])]))
        assert made == [("product_details", {"product": "OFF-403"})], ask


def test_a_pronoun_after_a_thing_the_ask_names_stands_for_it() -> None:
    assert not points_back("and the 2 sleeping bags, are they out the door yet")
    assert not points_back("thinking of grabbing the aurora pros, what's the lowest you can do on them")
    assert not points_back("what's the price of the tent and when can it ship")
    assert not points_back("and the chair i ordered, has that one shipped?")
    assert points_back("is that one cheaper than the chair")  # the thing named after it is another
    assert points_back("compare the tent with it")  # no new clause: it is another thing
    assert points_back("what did the reviewers say about it")  # reviewers are no thing for sale
    assert points_back("are the headphones better than it")  # the plural names no "it"
    assert points_back("my buddy wants a pair too, do u have them in stock in dallas?")  # a person is no thing sold
    assert not points_back("what membership tier am i and what do i get with it")  # the tier the ask asks for
    assert not points_back("which tent is lightest and is it in stock")
    assert points_back("which one is cheaper and is it in stock")  # "one" is the thing spoken of
    assert points_back("what do you think, is it any good")  # the first question asks for no thing


_ORDERS = [
    {"order_id": "ORD-1026", "status": "processing", "items": ["1 x Wireless Mouse"]},
    {"order_id": "ORD-1025", "status": "shipped", "items": ["1 x AeroBrew Espresso Machine"]},
    {"order_id": "ORD-1021", "status": "processing", "items": ["2 x Alpine Down Sleeping Bag"]},
    {"order_id": "ORD-1006", "status": "shipped", "items": ["1 x StormShell Rain Jacket"]},
]


@tool(
    description=(
        "List the signed-in shopper's orders, newest first. Returns each order's id, date, status, total and "
        "items: use it to find an order the shopper describes without giving its id."
    )
)
def list_my_orders() -> dict[str, Any]:
    return {"count": len(_ORDERS), "orders": _ORDERS}


def _order(order_id: str) -> dict[str, Any]:
    order = next(o for o in _ORDERS if o["order_id"] == order_id)
    return {**order, "message": f"{order_id} is {order['status']}: {', '.join(order['items'])}."}


_ORDER_ID = Annotated[str, Field(description="The order id, e.g. ORD-1001")]


@tool(description="Details of one of the shopper's orders: items, quantities, amounts, status and its history.")
def get_order_details(order_id: _ORDER_ID) -> dict[str, Any]:
    return _order(order_id)


@tool(
    description=(
        "Track one of the shopper's orders or packages: whether it has shipped, where it is now, carrier, "
        "tracking number and the estimated delivery date."
    )
)
def track_order(order_id: _ORDER_ID) -> dict[str, Any]:
    return _order(order_id)


def _after_the_jacket_order(ask: str) -> list[Message]:
    order = "ORD-1006"
    result = {**_ORDERS[-1], "message": f"{order} is shipped: 1 x StormShell Rain Jacket."}
    return [
        Message("user", ["my rain jacket still hasn't shown up"]),
        Message("assistant", [Content.from_function_call("c1", "get_order_details", arguments={"order_id": order})]),
        Message("tool", [Content.from_function_result(call_id="c1", result=json.dumps(result))]),
        Message("assistant", ["ORD-1006 is shipped: 1 x StormShell Rain Jacket."], author_name="order-management"),
        Message("user", [ask]),
    ]


async def test_an_order_named_by_an_item_it_holds_is_found_in_the_listing() -> None:
    agent = make_agent([list_my_orders, get_order_details, track_order, BACK], name="order-management")
    for ask, order in [
        ("ok what about the coffee machine one", "ORD-1025"),
        ("and the 2 sleeping bags, are they out the door yet", "ORD-1021"),
    ]:
        made = calls(await agent.run(_after_the_jacket_order(ask)))
        assert made[0] == ("list_my_orders", {}), ask
        assert [arguments for _, arguments in made[1:]] == [{"order_id": order}], ask


@tool
def restock(product: Annotated[str, Field(description="SKU or product name, e.g. OUT-300")]) -> dict[str, Any]:
    """When a product is expected back in stock."""
    return {}


def test_the_name_after_the_is_the_product_not_a_verb_before_it() -> None:
    extraction = extract_arguments(profile_of(restock), "thinking of grabbing the aurora")
    assert extraction.arguments == {"product": "aurora"}


@tool(description="Check a coupon code: whether it is valid for the products given and how much it saves.")
def check_coupon(
    code: Annotated[str, Field(description="The coupon code, e.g. TRAIL20")],
    products: Annotated[
        list[str], Field(description="The products in the cart, each a SKU or a name; 2 x OUT-300 for two units")
    ],
) -> dict[str, Any]:
    return {"code": code, "valid": True}


def test_a_number_with_a_unit_is_a_size_of_the_thing_named_not_a_count_of_it() -> None:
    profile = profile_of(check_coupon)
    for ask, cart in [
        ("does DESK50 work if i only buy the 34 inch ultrawide", ["34 inch ultrawide"]),
        ("would TRAIL20 work on a 2 person tent", ["2 person tent"]),
        ("is TRAIL20 ok on 2 merino tops", ["2 x merino tops"]),
    ]:
        assert extract_arguments(profile, ask).arguments["products"] == cart, ask


@tool
def compare_ratings(
    products: Annotated[list[str], Field(description="Two or three products, each a SKU, e.g. AUD-100, or a name")],
) -> dict[str, Any]:
    """Compare the star ratings of two or three products."""
    return {"message": "Compared."}


def test_a_number_after_those_counts_the_things_spoken_of() -> None:
    assert refers_to_many("which of those 2 gets better reviews")
    assert refers_to_many("are all 3 in stock")
    assert not points_back("and the 2 sleeping bags, are they out the door yet")  # the count of a thing named
    products = next(q for q in profile_of(compare_ratings).params if q.name == "products")
    told = Evidence(
        "assistant", "UltraView 27-inch 4K Monitor (OFF-402), $379.00; UltraView 34-inch (OFF-403), $549.00.", {}
    )
    assert resolve(products, "which of those 2 gets better reviews", [told]) == ["OFF-402", "OFF-403"]
    extraction = extract_arguments(profile_of(compare_ratings), "which of those 2 gets better reviews", [told])
    assert extraction.arguments["products"] == ["OFF-402", "OFF-403"]  # "2" is no product


@tool
def find_reviews(
    keyword: Annotated[str, Field(description="A word or short topic the reviews mention, e.g. battery")],
    product: Annotated[str | None, Field(description="Only reviews of this product: its SKU, e.g. OUT-300")] = None,
) -> dict[str, Any]:
    """Find customer reviews that mention a topic or keyword, for one product or all products."""
    return {"message": "Found them."}


def test_the_kind_of_the_thing_pointed_back_to_is_no_topic_to_search_for() -> None:
    told = [Evidence("assistant", "ORD-1019 (1 x Trail Runner TR-2 Shoes (APP-602)) shipped.", {})]
    profile = profile_of(find_reviews)
    pointed = extract_arguments(profile, "what do ppl think of those shoes", told)
    assert pointed.arguments == {"product": "APP-602"}
    assert [p.name for p in pointed.missing] == ["keyword"]
    topic = extract_arguments(profile, "do reviews of those shoes mention the laces", told)
    assert topic.arguments["keyword"] != "shoes"
