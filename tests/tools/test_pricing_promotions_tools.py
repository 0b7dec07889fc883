"""Pricing tools: coupons with the shopper from the request, deals, bundles, tiers and the best price."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_trail20_under_and_over_its_minimum(call: Any) -> None:
    under = await call("validate_coupon", code="TRAIL20", products=["Ridge 28L daypack"])
    assert (
        under["valid"] is False and under["message"] == "TRAIL20 needs $150.00 of outdoor items; the cart has $89.00."
    )
    over = await call("validate_coupon", code="trail20", products=["the trailpeak 2 tent"])
    assert over["valid"] is True and over["discount"] == 47.8
    assert (
        over["message"]
        == "TRAIL20 takes $47.80 off (20% off $239.00 of outdoor items). New total for TrailPeak 2 Backpacking Tent "
        "(OUT-300): $191.20 instead of $239.00."
    )
    two_daypacks = await call("validate_coupon", code="TRAIL20", products=["2 x OUT-304"])
    assert two_daypacks["valid"] is True and two_daypacks["eligible_subtotal"] == 178.0
    assert "New total for 2 x Ridge 28L Daypack (OUT-304):" in two_daypacks["message"]  # what was priced is named


async def test_summer30_is_expired(call: Any) -> None:
    result = await call("validate_coupon", code="SUMMER30", products=["APP-600"])
    assert result["valid"] is False and "expired on 2026-08-31" in result["message"]


async def test_goldvip15_uses_the_signed_in_shopper(call: Any) -> None:
    assert (await call("validate_coupon", "CUST-001", code="GOLDVIP15", products=["APP-600"]))["valid"] is True
    silver = await call("validate_coupon", "CUST-002", code="GOLDVIP15", products=["APP-600"])
    assert silver["valid"] is False and "silver" in silver["message"]
    anonymous = await call("validate_coupon", None, code="GOLDVIP15", products=["APP-600"])
    assert anonymous["valid"] is False and "sign in" in anonymous["message"]


async def test_unknown_product_in_the_cart(call: Any) -> None:
    result = await call("validate_coupon", code="TRAIL20", products=["xyz"])
    assert result["error"] == "not_found"


async def test_list_active_deals(call: Any) -> None:
    everything = await call("list_active_deals")
    assert [p["promotion_id"] for p in everything["promotions"]] == ["PROMO-BREW", "PROMO-CAMP", "PROMO-WORKSPACE"]
    assert "SUMMER30" not in [c["code"] for c in everything["coupons"]]
    kitchen = await call("list_active_deals", category="kitchen")
    assert [p["promotion_id"] for p in kitchen["promotions"]] == ["PROMO-BREW"]
    assert "Barista bundle" in kitchen["message"] and "$526.24 instead of $598.00" in kitchen["message"]
    assert "12% off, until 2027-01-31" in kitchen["message"]


async def test_check_bundle_eligibility(call: Any) -> None:
    partial = await call("check_bundle_eligibility", products=["AeroBrew espresso machine"])
    assert partial["eligible"] == []
    assert partial["message"] == (
        "The Barista bundle is AeroBrew Espresso Machine (KIT-200) + AeroBrew Burr Grinder (KIT-201), 12% off until "
        "2027-01-31: add AeroBrew Burr Grinder (KIT-201) to get it."
    )
    named = await call("check_bundle_eligibility", products=["the camp kit bundle"])
    assert [i["sku"] for i in named["items"]] == ["OUT-300", "OUT-302", "OUT-308"]
    assert "(OUT-308), 15% off until 2027-04-30, saving" in named["message"]
    complete = await call("check_bundle_eligibility", products=["KIT-200", "AeroBrew grinder"])
    assert complete["discount"] == 71.76 and "completes the Barista bundle" in complete["message"]


async def test_best_price_for_cart(call: Any) -> None:
    gold = await call("best_price_for_cart", "CUST-001", products=["KIT-200", "KIT-201"])
    assert gold["total"] == 424.93
    assert gold["message"] == (
        "Best price for AeroBrew Espresso Machine (KIT-200) and AeroBrew Burr Grinder (KIT-201): $424.93 instead "
        "of $598.00: Barista bundle -$71.76, coupon GOLDVIP15 -$78.94, gold member discount -$22.37."
    )
    anonymous = await call("best_price_for_cart", None, products=["KIT-200", "KIT-201"])
    assert anonymous["loyalty"] is None and anonymous["coupon"] is None and anonymous["total"] == 526.24
    assert anonymous["message"].endswith("Sign in to add your member discount.")


async def test_a_bundle_named_in_a_cart_is_its_items(call: Any) -> None:
    coupon = await call("validate_coupon", None, code="TRAIL20", products=["the camp kit"])
    assert coupon["valid"] and coupon["cart_subtotal"] == 537.0
    price = await call("best_price_for_cart", None, products=["Camp kit"])
    assert price["message"].startswith(
        "Best price for TrailPeak 2 Backpacking Tent (OUT-300), Alpine Down Sleeping Bag -5C (OUT-302) and Camp "
        "Stove Duo (OUT-308): $365.16 instead of $537.00: Camp kit -$80.55, coupon TRAIL20 -$91.29."
    )


async def test_a_list_price_answer_names_the_products(call: Any) -> None:
    # A later question ("do you have the same but bigger?") may go to another desk, which reads only this text.
    daypack = await call("best_price_for_cart", None, products=["OUT-304"])
    assert daypack["message"].startswith("The best price for Ridge 28L Daypack (OUT-304) is the list price, $89.00")


async def test_list_loyalty_tiers(call: Any) -> None:
    mine = await call("list_loyalty_tiers", "CUST-002")
    assert mine["your_tier"] == "silver" and [t["tier"] for t in mine["tiers"]] == ["bronze", "silver", "gold"]
    assert (await call("list_loyalty_tiers"))["your_tier"] is None


async def test_a_code_without_a_cart_tells_its_terms(call: Any) -> None:
    welcome = await call("validate_coupon", None, code="welcome10")
    assert welcome["description"] == "10% off your first order" and "sign in" in welcome["message"]
    assert welcome["message"].startswith("WELCOME10: 10% off your first order, valid until 2027-12-31.")
    assert (await call("validate_coupon", code="NOPE1"))["error"] == "not_found"


async def test_loyalty_tiers_name_the_members_coupons(call: Any) -> None:
    tiers = await call("list_loyalty_tiers", "CUST-001")
    assert [c["code"] for c in tiers["member_coupons"]] == ["GOLDVIP15"]
    assert "Gold members can also use the code GOLDVIP15" in tiers["message"]
