"""The offline model at a pricing desk: what a price is asked of (the things spoken of, how many) and with what
(the shopper's own discount, the best code for them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from agent_framework import Message, tool
from pydantic import Field

from agents.definitions import get_definition
from agents.models.offline.superlative import pick_by_figure, qualifies_a_price
from tests.models.fakes import BACK
from tests.models.support import calls, exchange, make_agent

_CART = (
    "The products in the cart, each a SKU, e.g. OUT-300, a product name or a bundle's name (its items); "
    "2 x OUT-300 for two units"
)
Cart = Annotated[list[str], Field(description=_CART)]


@tool
def validate_coupon(
    code: Annotated[str, Field(description="The coupon code, e.g. TRAIL20, in any case")],
    products: Annotated[list[str] | None, Field(description=f"{_CART}. Omit it to get the code's terms")] = None,
) -> dict[str, Any]:
    """Check a coupon or discount code: without products, what it gives and its conditions; with a cart or
    product, whether it is valid for it and how much it saves."""
    return {"message": f"{code} takes $50.00 off."}


@tool
def list_active_deals(
    category: Annotated[
        Literal["outdoor", "kitchen", "audio", "home-office"] | None,
        Field(description="Only deals for this product category, e.g. kitchen"),
    ] = None,
) -> dict[str, Any]:
    """Current deals, promotions, bundles and coupon codes running today, optionally for one product category:
    each bundle's items, bundle price and percent off, and each code's terms."""
    return {"message": "Coupon codes: TRAIL20 (20% off outdoor gear over $150)."}


@tool
def check_bundle_eligibility(products: Cart) -> dict[str, Any]:
    """Check whether products qualify for a bundle discount, and what to add to complete a bundle; a bundle's
    name (e.g. Camp kit) stands for its items."""
    return {"message": "No bundle includes these products."}


@tool
def best_price_for_cart(products: Cart) -> dict[str, Any]:
    """The best price for a cart: combines bundle savings, the best single coupon and the signed-in shopper's
    loyalty discount, with the breakdown."""
    return {"message": "Best price: $265.24."}


@tool
def list_loyalty_tiers() -> dict[str, Any]:
    """Loyalty tiers and member discounts: the percent off and free-shipping threshold for bronze, silver and
    gold, the coupon codes for members, and the signed-in shopper's tier."""
    return {"message": "Loyalty tiers: bronze 0% off, free shipping over $100.00; gold 5% off."}


DESK = [validate_coupon, list_active_deals, check_bundle_eligibility, best_price_for_cart, list_loyalty_tiers, BACK]


def test_a_comparing_word_opening_a_clause_prices_the_thing_and_picks_none() -> None:
    listed = [{"sku": "KIT-200", "price": 449.0}, {"sku": "OUT-308", "price": 79.0}]
    asks = (("whats the cheapest i can get it for", "cheapest"), ("the lowest you can do on them?", "lowest"))
    for ask, word in asks:
        assert qualifies_a_price(ask, word)
        assert pick_by_figure(ask, listed) is None
    assert not qualifies_a_price("which is the cheapest one", "cheapest")
    picked = pick_by_figure("which is the cheapest one", listed)
    assert picked is not None and picked.record["sku"] == "OUT-308"


async def test_an_ask_applying_the_shoppers_own_discount_prices_the_things_spoken_of() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["does TRAIL20 work on the trailpeak 4 tent"]),
        *exchange(1, "validate_coupon", {"code": "TRAIL20", "products": ["trailpeak 4 tent"]}, "TRAIL20 is valid."),
        Message("assistant", ["TRAIL20 takes $69.80 off. New total $279.20 instead of $349.00."]),
    ]
    for ask in ("ok and w/ my gold discount on top whats the final price", "and after my silver discount?"):
        response = await agent.run([*earlier, Message("user", [ask])])
        assert calls(response) == [("best_price_for_cart", {"products": ["trailpeak 4 tent"]})]
    asked = await agent.run([*earlier, Message("user", ["and what do i get as a gold member"])])
    assert [name for name, _ in calls(asked)] == ["list_loyalty_tiers"]  # the discount asked about, not applied


async def test_shipping_free_in_either_order_asks_for_the_tiers_threshold() -> None:
    pricing = get_definition("pricing-promotions")  # its instructions leave shipping to another desk
    agent = make_agent(DESK, name=pricing.name, instructions=pricing.instructions)
    for ask in ("is shipping free too", "do gold members ship free"):
        assert [name for name, _ in calls(await agent.run(ask))] == ["list_loyalty_tiers"]


async def test_a_counted_plural_stands_for_that_many_of_the_things_listed() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["any deal on the grinder and the espresso machine"]),
        *exchange(1, "list_active_deals", {"category": "kitchen"}, "Barista bundle."),
        Message("assistant", ["Barista bundle: Espresso (KIT-200) + Grinder (KIT-201) + Kettle (KIT-203)."]),
    ]
    response = await agent.run([*earlier, Message("user", ["whats the lowest i'd pay for those 2"])])
    assert calls(response) == [("best_price_for_cart", {"products": ["KIT-200", "KIT-201"]})]


async def test_any_code_for_the_things_pointed_back_to_is_the_best_code_for_them() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["where r my trail runner shoes at"]),
        Message("assistant", ["ORD-1019 (1 x Trail Runner TR-2 Shoes (APP-602)) shipped on Nov 18, 2026."]),
    ]
    for ask in ("want another pair. any code i can use on them?", "any codes that work on it"):
        response = await agent.run([*earlier, Message("user", [ask])])
        assert calls(response) == [("best_price_for_cart", {"products": ["APP-602"]})]
    listed = await agent.run("any discount codes i can use on a tent?")  # no things spoken of: the codes there are
    assert [name for name, _ in calls(listed)] == ["list_active_deals"]
    assert qualifies_a_price("whats the cheapest for me", "cheapest")


async def test_a_count_of_them_is_units_of_the_one_thing_told_of_first() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["do u sell fitness bands? want one as a gift"]),
        Message("assistant", ["Similar to Fitness Band B2 (WEA-501) ($79.00): Watch (WEA-500); Ring (WEA-503)."]),
    ]
    response = await agent.run([*earlier, Message("user", ["how much for 2 of them, one for me too lol"])])
    assert calls(response) == [("best_price_for_cart", {"products": ["2 x WEA-501"]})]


async def test_a_verb_of_applying_a_code_names_no_product() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["whats the deal on the standing desk + chair combo"]),
        *exchange(1, "list_active_deals", {"category": "home-office"}, "Workspace bundle."),
        Message("assistant", ["Workspace bundle: ErgoDesk (OFF-400) + ErgoChair (OFF-401) for $799.20 (10% off)."]),
    ]
    response = await agent.run([*earlier, Message("user", ["can i put DESK50 on top of that? whats the total then"])])
    assert calls(response)[0][1]["products"] == ["OFF-400", "OFF-401"]


async def test_a_pointer_that_is_the_discount_or_an_ordinal_is_no_product() -> None:
    agent = make_agent(DESK)
    first = await agent.run("first time buying here, do u guys have a first order discount")
    assert calls(first) == [("list_active_deals", {})]  # "first" is no product to price
    earlier = [
        Message("user", ["do u have a first order discount"]),
        Message("assistant", ["Camp kit: Tent (OUT-300) + Stove (OUT-308). Coupon codes: WELCOME10 (10% off)."]),
    ]
    off = await agent.run([*earlier, Message("user", ["cool how much would that take off the vacuum blender"])])
    assert [arguments.get("products") for _, arguments in calls(off)] == [["vacuum blender"]]


async def test_what_if_i_add_things_asks_the_question_before_of_the_cart_with_them() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["TRAIL20 on the carbon trekking poles?"]),
        *exchange(1, "validate_coupon", {"code": "TRAIL20", "products": ["carbon trekking poles"]}, "Needs $150."),
        Message("assistant", ["TRAIL20 needs $150.00 of outdoor items; the cart has $99.00."]),
    ]
    response = await agent.run([*earlier, Message("user", ["what if i throw in the headlamp and 3 of the bottles"])])
    code, products = calls(response)[0][1].get("code"), calls(response)[0][1].get("products")
    assert (calls(response)[0][0], code) == ("validate_coupon", "TRAIL20")  # the question before, again
    assert {"carbon trekking poles", "headlamp", "3 x bottles"} <= set(products)


async def test_the_cheapest_the_shopper_can_get_things_for_is_their_best_price() -> None:
    agent = make_agent(DESK)
    earlier = [
        Message("user", ["any headphones under 300"]),
        Message("assistant", ["Found 2 products: Aurora ANC (AUD-100), $199.00; Pulse Buds (AUD-103), $99.00."]),
    ]
    for ask in ("whats the cheapest i can get them for", "lowest u can do on them?"):
        response = await agent.run([*earlier, Message("user", [ask])])
        assert calls(response) == [("best_price_for_cart", {"products": ["AUD-100", "AUD-103"]})]
