"""A thing pointed back to by what describes it ("the backpack one", "that gold code") is the record of an
earlier result whose values hold those words, not the last thing spoken of."""

from __future__ import annotations

from typing import Annotated, Any

from agent_framework import Message, tool
from pydantic import Field

from tests.models.fakes import BACK
from tests.models.support import calls, exchange, make_agent

_ORDERS = [
    {"order_id": "ORD-1003", "status": "placed", "items": ["1 x Ridge 45L Hiking Backpack", "2 x Headlamp HL-400"]},
    {"order_id": "ORD-1002", "status": "delivered", "items": ["1 x PourOver Kettle 1L"]},
    {"order_id": "ORD-1001", "status": "shipped", "items": ["1 x Aurora ANC Over-Ear Headphones"]},
    {"order_id": "ORD-1026", "status": "processing", "items": ["1 x ErgoChair Mesh Pro"]},
]
_ORDER_ID = Annotated[str, Field(description="The order id, e.g. ORD-1001")]


@tool(description="List the signed-in shopper's orders, newest first: each order's id, status and items.")
def list_my_orders() -> dict[str, Any]:
    return {"count": len(_ORDERS), "orders": _ORDERS}


@tool(description="Track one of the shopper's orders: whether it has shipped, where it is now, delivery date.")
def track_order(order_id: _ORDER_ID) -> dict[str, Any]:
    order = next(o for o in _ORDERS if o["order_id"] == order_id)
    return {**order, "message": f"{order_id} is {order['status']}."}


def _after_tracking_the_headphones(ask: str) -> list[Message]:
    """The turn that listed the orders to find the headphones' one and tracked it, then `ask`."""
    return [
        Message("user", ["hey wheres my headphones order at"]),
        *exchange(1, "list_my_orders", {}, list_my_orders.func()),
        *exchange(2, "track_order", {"order_id": "ORD-1001"}, track_order.func("ORD-1001")),
        Message("assistant", ["ORD-1001 (1 x Aurora ANC Over-Ear Headphones) is shipped."]),
        Message("user", [ask]),
    ]


async def test_an_order_described_by_an_item_is_the_listed_one_holding_it_not_the_one_tracked_last() -> None:
    agent = make_agent([list_my_orders, track_order, BACK], name="order-management")
    for ask, order in [
        ("and the backpack one, has that shipped yet?", "ORD-1003"),
        ("that other order, the kettle one, where is it", "ORD-1002"),
        ("what about my backpack order", "ORD-1003"),
        ("and the headphones one?", "ORD-1001"),
        ("and the one w/ the backpack?", "ORD-1003"),
    ]:
        made = calls(await agent.run(_after_tracking_the_headphones(ask)))
        assert made == [("track_order", {"order_id": order})], ask


@tool(description="Check a coupon code: whether it is valid for the products given and how much it saves.")
def validate_coupon(
    code: Annotated[str, Field(description="The coupon code, e.g. TRAIL20, in any case")],
    products: Annotated[list[str] | None, Field(description="The products in the cart, each a SKU or name")] = None,
) -> dict[str, Any]:
    return {"code": code, "valid": True, "message": f"{code} takes $56.85 off."}


@tool(
    description=(
        "The best price for a cart: combines bundle savings, the best single coupon and the signed-in shopper's "
        "loyalty discount, with the breakdown."
    )
)
def best_price_for_cart(
    products: Annotated[list[str], Field(description="The products in the cart, each a SKU or name")],
) -> dict[str, Any]:
    return {"message": "Best price: $306.04."}


@tool(
    description=(
        "Loyalty tiers and member discounts: the percent off and free-shipping threshold for bronze, silver and "
        "gold, the coupon codes for members, and the signed-in shopper's tier."
    )
)
def list_loyalty_tiers() -> dict[str, Any]:
    return {"message": "You are gold."}


_PRICING = [validate_coupon, best_price_for_cart, list_loyalty_tiers, BACK]
_GOLD = {"code": "GOLDVIP15", "description": "15% off everything for gold members", "tier": "gold"}
_WELCOME = {"code": "WELCOME10", "description": "10% off a first order", "tier": None}
_TRAIL = {"code": "TRAIL20", "description": "20% off outdoor gear over $150", "tier": None}


def _after(name: str, result: dict[str, Any], ask: str) -> list[Message]:
    """An earlier turn answered by the one call of `name`, then `ask`."""
    return [
        Message("user", ["what do i get"]),
        *exchange(1, name, {}, result),
        Message("assistant", [str(result["message"])]),
        Message("user", [ask]),
    ]


async def test_a_code_pointed_to_is_the_one_a_result_named_and_is_checked_as_if_typed() -> None:
    agent = make_agent(_PRICING, name="pricing-promotions")
    tiers = {
        "tiers": [{"tier": "gold", "discount_percent": 5}, {"tier": "silver", "discount_percent": 3}],
        "member_coupons": [_GOLD],
        "message": "You are gold. Gold members can also use the code GOLDVIP15.",
    }
    for ask in ["does that gold code work on the 4k monitor", "can i use that code on the 4k monitor"]:
        made = calls(await agent.run(_after("list_loyalty_tiers", tiers, ask)))
        assert made == [("validate_coupon", {"code": "GOLDVIP15", "products": ["4k monitor"]})], ask
    terms = calls(await agent.run(_after("list_loyalty_tiers", tiers, "what does the gold code give me")))
    assert terms == [("validate_coupon", {"code": "GOLDVIP15"})]  # its terms, as for "what does GOLDVIP15 give me"


async def test_of_several_codes_listed_the_one_its_word_names_is_taken() -> None:
    agent = make_agent(_PRICING, name="pricing-promotions")
    deals = {"coupons": [_TRAIL, _WELCOME, _GOLD], "message": "Coupon codes: TRAIL20, WELCOME10, GOLDVIP15."}
    made = calls(await agent.run(_after("list_active_deals", deals, "does the welcome code work on the 4k monitor")))
    assert made == [("validate_coupon", {"code": "WELCOME10", "products": ["4k monitor"]})]


async def test_an_item_named_by_a_part_of_its_name_finds_its_order() -> None:
    agent = make_agent([list_my_orders, track_order, BACK], name="order-management")
    listed = calls(await agent.run("has the chair i ordered shipped?"))
    assert listed == [("list_my_orders", {}), ("track_order", {"order_id": "ORD-1026"})]  # "ErgoChair": a chair


@tool(description="Track one of the shopper's orders: carrier, tracking number and delivery date.")
def track_parcel(
    order_id: Annotated[
        str, Field(description="The order id, e.g. ORD-1001; a bare number such as 1001 means the same")
    ],
) -> dict[str, Any]:
    return track_order.func(order_id)


async def test_a_field_asked_for_by_a_word_of_how_an_id_is_written_points_to_no_order() -> None:
    # "number" is how the description says an id may be written, not what it calls the thing: "the tracking number
    # for my headphones order" asks for a field of the headphones' order, not of the order spoken of before
    agent = make_agent([list_my_orders, track_parcel, BACK], name="order-management")
    earlier = [
        Message("user", ["can i still cancel my backpack order?"]),
        *exchange(1, "list_my_orders", {}, list_my_orders.func()),
        Message("assistant", ["ORD-1003 (1 x Ridge 45L Hiking Backpack) is placed and can be cancelled."]),
    ]
    made = calls(await agent.run([*earlier, Message("user", ["whats the tracking number for my headphones order"])]))
    assert made[-1] == ("track_parcel", {"order_id": "ORD-1001"})


async def test_what_a_thing_costs_with_a_code_is_the_codes_price_and_the_best_is_asked_for_so() -> None:
    agent = make_agent(_PRICING, name="pricing-promotions")
    alone = calls(await agent.run("how much would the ultrawide monitor be w/ GOLDVIP15"))
    assert [name for name, _ in alone] == ["validate_coupon"]
    best = calls(await agent.run("whats the best price on the ultrawide monitor, GOLDVIP15 or whatever's better"))
    assert [name for name, _ in best] == ["best_price_for_cart"]


async def test_it_in_a_later_question_is_what_the_first_one_asks_for() -> None:
    agent = make_agent(_PRICING, name="pricing-promotions")
    made = calls(await agent.run("what membership tier am i and what do i get with it"))
    assert [name for name, _ in made] == ["list_loyalty_tiers"]  # "it" is the tier, no product to price
