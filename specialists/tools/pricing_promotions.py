"""Tools of the pricing-promotions specialist: coupons, deals, bundles, loyalty tiers and the best price.

Tier and first-order rules use the request's signed-in shopper, never an argument; anonymous shoppers
get the public prices and are told what signing in would add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

from agent_framework import FunctionTool
from pydantic import Field

from agents.run_context import current_customer_id
from specialists.store import Store, pricing
from specialists.store.catalog import Category
from specialists.store.results import (
    ActiveCoupon,
    BestPrice,
    BundleDeal,
    BundleEligibility,
    CartLine,
    MissingBundleItems,
    Tier,
)
from specialists.tools.common import CartArg, OptionalCartArg, Result, failure, label, lookup_cart, store_tool, usd

CodeArg = Annotated[str, Field(description="The coupon code, e.g. TRAIL20, in any case")]
CategoryArg = Annotated[Category | None, Field(description="Only deals for this product category, e.g. kitchen")]


def _deals_message(promotions: list[BundleDeal], coupons: list[ActiveCoupon]) -> str:
    if not promotions and not coupons:
        return "There are no deals running today."
    bundles = "; ".join(
        f"{p['name']}: {' + '.join(label(i) for i in p['items'])} for {usd(p['bundle_price'])} "
        f"instead of {usd(p['list_price'])} ({p['percent_off']:g}% off, until {p['valid_to']})"
        for p in promotions
    )
    codes = "; ".join(f"{c['code']} ({c['description']}, until {c['valid_to']})" for c in coupons)
    parts = [f"Bundles today: {bundles}." if bundles else "", f"Coupon codes: {codes}." if codes else ""]
    return " ".join(part for part in parts if part)


_BUNDLE_WORDS = re.compile(r"\b(?:the|bundle|kit|deal|promotion)\b", re.IGNORECASE)


def _bundle_key(name: str) -> str:
    """A bundle's name as a shopper may write it: "Camp kit", "the camp kit bundle" and "camp" are one."""
    return " ".join(_BUNDLE_WORDS.sub(" ", name).lower().split())


def _with_bundle_items(entries: list[str], bundles: dict[str, BundleDeal]) -> list[str]:
    """The cart's entries, a bundle's name replaced by its items' SKUs."""
    found: list[str] = []
    for entry in entries:
        bundle = bundles.get(_bundle_key(entry))
        found += [item["sku"] for item in bundle["items"]] if bundle else [entry]
    return found


def _free_shipping(tier: Tier) -> str:
    threshold = tier["free_shipping_min_spend"]
    return f"free shipping over {usd(threshold)}" if threshold else "free shipping on every order"


def _partial_bundle(bundle: MissingBundleItems, names: dict[str, str]) -> str:
    """A bundle the cart only starts: all its items, its terms and what completes it."""
    missing = [label(m) for m in bundle["missing"]]
    items = " + ".join([*(names[sku] for sku in bundle["in_cart"]), *missing])
    return (
        f"The {bundle['name']} is {items}, {bundle['percent_off']:g}% off until {bundle['valid_to']}: "
        f"add {', '.join(missing)} to get it."
    )


def _bundle_message(result: BundleEligibility) -> str:
    names = {line["sku"]: label(line) for line in result["items"]}
    done = [
        f"the {b['name']} ({' + '.join(names[sku] for sku in b['in_cart'])}, {b['percent_off']:g}% off until "
        f"{b['valid_to']}, saving {usd(b['discount'])})"
        for b in result["eligible"]
    ]
    todo = [_partial_bundle(b, names) for b in result["partial"]]
    if not done and not todo:
        return "No bundle includes these products."
    return " ".join([f"Your cart completes {' and '.join(done)}." if done else "", *todo]).strip()


def _cart_label(items: Sequence[CartLine]) -> str:
    """`TrailPeak 2 Backpacking Tent (OUT-300) and 2 x Carbon Trekking Poles (OUT-307)`."""
    labels = [label(i) if i["quantity"] == 1 else f"{i['quantity']} x {label(i)}" for i in items]
    return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 2 else labels)


def _best_price_message(price: BestPrice) -> str:
    savings = [f"{b['name']} -{usd(b['discount'])}" for b in price["bundles"]]
    if price["coupon"]:
        savings.append(f"coupon {price['coupon']['code']} -{usd(price['coupon_discount'])}")
    if price["loyalty"] and price["loyalty_discount"]:
        savings.append(f"{price['loyalty']['tier']} member discount -{usd(price['loyalty_discount'])}")
    cart = _cart_label(price["items"])
    if not savings:
        message = (
            f"The best price for {cart} is the list price, {usd(price['total'])}: no coupon or bundle discount applies."
        )
    else:
        message = (
            f"Best price for {cart}: {usd(price['total'])} instead of {usd(price['subtotal'])}: {', '.join(savings)}."
        )
    if price["loyalty"] is None:
        message += " Sign in to add your member discount."
    return message


def build_tools(store: Store) -> list[FunctionTool]:
    """The pricing-promotions tools over `store`."""

    async def cart_of(products: list[str]) -> dict[str, int]:
        """The cart `products` describe, a bundle's name standing for its items ("TRAIL20 on the camp kit")."""
        bundles = {_bundle_key(p["name"]): p for p in await pricing.active_promotions(store)}
        return await lookup_cart(store, _with_bundle_items(products, bundles))

    async def validate_coupon(code: CodeArg, products: OptionalCartArg = None) -> Result:
        if not products:
            return await _coupon_terms(code)
        cart = await cart_of(products)
        result = await pricing.validate_coupon(store, code, cart, current_customer_id())
        message = result["reason"]
        if result["valid"]:
            # What was priced is named, so a later "that one" finds it in the answer.
            total, subtotal = usd(result["total_after_discount"]), usd(result["cart_subtotal"])
            message += f" New total for {_cart_label(result['items'])}: {total} instead of {subtotal}."
        return {**result, "message": message}

    async def _coupon_terms(code: str) -> Result:
        terms = await pricing.coupon_terms(store, code, current_customer_id())
        if terms is None:
            raise failure("not_found", f"There is no coupon with the code {code.strip().upper()}.", code=code)
        message = f"{terms['code']}: {terms['description']}, valid until {terms['valid_to']}."
        if terms["refusal"]:
            message += f" {terms['refusal']}"
        return {**terms, "message": message}

    async def list_active_deals(category: CategoryArg = None) -> Result:
        promotions = await pricing.active_promotions(store)
        coupons = await pricing.active_coupons(store)
        if category:
            promotions = [p for p in promotions if any(i["category"] == category for i in p["items"])]
            coupons = [c for c in coupons if c["category"] in (None, category)]
        return {
            "today": store.today.isoformat(),
            "promotions": promotions,
            "coupons": coupons,
            "message": _deals_message(promotions, coupons),
        }

    async def check_bundle_eligibility(products: CartArg) -> Result:
        cart = await cart_of(products)
        result = await pricing.bundle_eligibility(store, cart)
        return {**result, "message": _bundle_message(result)}

    async def best_price_for_cart(products: CartArg) -> Result:
        cart = await cart_of(products)
        price = await pricing.best_price(store, cart, current_customer_id())
        return {**price, "message": _best_price_message(price)}

    async def list_loyalty_tiers() -> Result:
        tiers = await pricing.loyalty_tiers(store)
        customer_id = current_customer_id()
        mine = await pricing.customer_tier(store, customer_id) if customer_id else None
        member_coupons = [c for c in await pricing.active_coupons(store) if c["tier"]]
        listing = "; ".join(f"{t['tier']} {t['discount_percent']:g}% off, {_free_shipping(t)}" for t in tiers)
        message = f"Loyalty tiers: {listing}." + (f" You are {mine}." if mine else " Sign in to see your tier.")
        for c in member_coupons:
            message += f" {str(c['tier']).capitalize()} members can also use the code {c['code']} ({c['description']})."
        return {"tiers": tiers, "your_tier": mine, "member_coupons": member_coupons, "message": message}

    return [
        store_tool(
            validate_coupon,
            name="validate_coupon",
            description=(
                "Check a coupon or discount code: without products, what it gives and its conditions; with a "
                "cart or product, whether it is valid for it and how much it saves."
            ),
        ),
        store_tool(
            list_active_deals,
            name="list_active_deals",
            description=(
                "Current deals, promotions, bundles and coupon codes running today, optionally for one product "
                "category: each bundle's items, bundle price and percent off, and each code's terms."
            ),
        ),
        store_tool(
            check_bundle_eligibility,
            name="check_bundle_eligibility",
            description=(
                "Check whether products qualify for a bundle discount, and what to add to complete a bundle; a "
                "bundle's name (e.g. Camp kit) stands for its items."
            ),
        ),
        store_tool(
            best_price_for_cart,
            name="best_price_for_cart",
            description=(
                "The best price for a cart: combines bundle savings, the best single coupon and the signed-in "
                "shopper's loyalty discount, with the breakdown."
            ),
        ),
        store_tool(
            list_loyalty_tiers,
            name="list_loyalty_tiers",
            description=(
                "Loyalty tiers and member discounts: the percent off and free-shipping threshold for bronze, "
                "silver and gold, the coupon codes for members, and the signed-in shopper's tier."
            ),
        ),
    ]
