"""Coupons, deals, bundles, loyalty tiers and best price on the seeded store, on both backends."""

from __future__ import annotations

import pytest

from specialists.store import Store
from specialists.store.catalog import UnknownProductError
from specialists.store.pricing import (
    active_coupons,
    active_promotions,
    best_price,
    bundle_eligibility,
    loyalty_tiers,
    validate_coupon,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_unknown_code(store: Store) -> None:
    result = await validate_coupon(store, "NOPE", {"OUT-300": 1})
    assert result["valid"] is False and "no coupon" in result["reason"]


async def test_trail20_needs_150_of_outdoor_gear(store: Store) -> None:
    under = await validate_coupon(store, "TRAIL20", {"OUT-304": 1})
    assert under["valid"] is False
    assert "$150.00" in under["reason"] and under["eligible_subtotal"] == 89.0 and under["discount"] == 0.0
    over = await validate_coupon(store, "trail20", {"OUT-300": 1})
    assert over["valid"] is True
    assert (over["discount"], over["eligible_subtotal"], over["total_after_discount"]) == (47.8, 239.0, 191.2)


async def test_category_coupon_discounts_only_matching_items(store: Store) -> None:
    result = await validate_coupon(store, "TRAIL20", {"OUT-300": 1, "AUD-100": 1})
    assert result["valid"] is True
    assert (result["eligible_subtotal"], result["discount"], result["cart_subtotal"]) == (239.0, 47.8, 418.0)
    none = await validate_coupon(store, "TRAIL20", {"AUD-100": 1})
    assert none["valid"] is False and "outdoor items only" in none["reason"]


async def test_summer30_is_expired_on_the_seed_date(store: Store) -> None:
    result = await validate_coupon(store, "SUMMER30", {"APP-600": 1})
    assert result["valid"] is False and "expired on 2026-08-31" in result["reason"]


async def test_goldvip15_is_for_gold_members(store: Store) -> None:
    gold = await validate_coupon(store, "GOLDVIP15", {"APP-600": 1}, "CUST-001")
    assert gold["valid"] is True and gold["discount"] == 28.35
    silver = await validate_coupon(store, "GOLDVIP15", {"APP-600": 1}, "CUST-002")
    assert silver["valid"] is False and "your tier is silver" in silver["reason"]
    anonymous = await validate_coupon(store, "GOLDVIP15", {"APP-600": 1})
    assert anonymous["valid"] is False and "sign in" in anonymous["reason"]


async def test_welcome10_is_for_a_first_order(store: Store) -> None:
    returning = await validate_coupon(store, "WELCOME10", {"APP-600": 1}, "CUST-001")
    assert returning["valid"] is False and "first order" in returning["reason"]
    anonymous = await validate_coupon(store, "WELCOME10", {"APP-600": 1})
    assert anonymous["valid"] is False and "sign in" in anonymous["reason"]


async def test_amount_off_coupon(store: Store) -> None:
    result = await validate_coupon(store, "AUDIO25", {"AUD-103": 1})
    assert result["valid"] is True and result["discount"] == 25.0


async def test_cart_with_unknown_sku_or_bad_quantity(store: Store) -> None:
    with pytest.raises(UnknownProductError):
        await validate_coupon(store, "TRAIL20", {"XXX-999": 1})
    with pytest.raises(ValueError, match="at least 1"):
        await validate_coupon(store, "TRAIL20", {"OUT-300": 0})


async def test_active_deals_today(store: Store) -> None:
    promotions = await active_promotions(store)
    assert [p["promotion_id"] for p in promotions] == ["PROMO-BREW", "PROMO-CAMP", "PROMO-WORKSPACE"]
    brew = promotions[0]
    assert [i["sku"] for i in brew["items"]] == ["KIT-200", "KIT-201"]
    assert (brew["list_price"], brew["bundle_price"]) == (598.0, 526.24)
    codes = [c["code"] for c in await active_coupons(store)]
    assert codes == ["AUDIO25", "DESK50", "GOLDVIP15", "TRAIL20", "WELCOME10"]


async def test_bundle_eligibility(store: Store) -> None:
    complete = await bundle_eligibility(store, {"kit-200": 1, "KIT-201": 1})
    assert [b["promotion_id"] for b in complete["eligible"]] == ["PROMO-BREW"]
    assert complete["discount"] == 71.76
    partial = await bundle_eligibility(store, {"OUT-300": 1, "OUT-308": 1})
    assert partial["eligible"] == [] and partial["discount"] == 0.0
    assert [m["sku"] for m in partial["partial"][0]["missing"]] == ["OUT-302"]


async def test_loyalty_tiers(store: Store) -> None:
    tiers = await loyalty_tiers(store)
    assert [(t["tier"], t["discount_percent"], t["free_shipping_min_spend"]) for t in tiers] == [
        ("bronze", 0, 100.0),
        ("silver", 3, 50.0),
        ("gold", 5, 0.0),
    ]


async def test_best_price_combines_bundle_coupon_and_loyalty(store: Store) -> None:
    price = await best_price(store, {"KIT-200": 1, "KIT-201": 1}, "CUST-001")
    assert price["subtotal"] == 598.0
    assert price["bundle_discount"] == 71.76  # 12% of 598
    assert price["coupon"]["code"] == "GOLDVIP15" and price["coupon_discount"] == 78.94  # 15% of 526.24
    assert price["loyalty"]["tier"] == "gold" and price["loyalty_discount"] == 22.37  # 5% of 447.30
    assert price["total"] == 424.93
    assert price["total_discount"] == 173.07
    assert price["free_shipping"] is True


async def test_best_price_for_an_anonymous_shopper(store: Store) -> None:
    price = await best_price(store, {"OUT-300": 1, "OUT-302": 1, "OUT-308": 1})
    assert price["bundle_discount"] == 80.55  # 15% of 537
    assert price["coupon"]["code"] == "TRAIL20" and price["coupon_discount"] == 91.29  # 20% of 456.45
    assert price["loyalty"] is None and price["loyalty_discount"] == 0.0
    assert price["total"] == 365.16
    assert price["free_shipping"] is None
    considered = {c["code"]: c["valid"] for c in price["coupons_considered"]}
    assert considered["TRAIL20"] is True and considered["GOLDVIP15"] is False and considered["SUMMER30"] is False
