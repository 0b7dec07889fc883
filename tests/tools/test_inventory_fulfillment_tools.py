"""Inventory and shipping tools, called through FunctionTool.invoke."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_check_stock(call: Any) -> None:
    result = await call("check_stock", product="the trailpeak 2 tent")
    assert result["total"] == 3
    assert result["message"] == "TrailPeak 2 Backpacking Tent (OUT-300) has 3 in stock, all at WH-WEST (Reno, NV)."
    sold_out = await call("check_stock", product="KIT-200")
    assert sold_out["in_stock"] is False and "out of stock" in sold_out["message"]
    assert (await call("check_stock", product="xyz"))["error"] == "not_found"


async def test_get_next_restock(call: Any) -> None:
    result = await call("get_next_restock", product="AeroBrew espresso machine")
    assert result["next"]["expected_date"] == "2026-11-29"
    assert result["message"] == (
        "AeroBrew Espresso Machine (KIT-200) is out of stock now; next restock: 40 units at WH-EAST "
        "(Newark, NJ) expected 2026-11-29."
    )


async def test_estimate_shipping(call: Any) -> None:
    result = await call("estimate_shipping", product="OUT-300", region="eu-central")
    assert (result["cheapest"]["cost"], result["fastest"]["days"]) == (11.99, 2)
    assert result["message"] == (
        "TrailPeak 2 Backpacking Tent (OUT-300) ships to eu-central from WH-WEST (Reno, NV): the cheapest "
        "option is ParcelPost standard for $11.99, arriving by 2026-11-26 (6 days); the fastest is ParcelPost "
        "express for $21.99, arriving by 2026-11-22 (2 days)."
    )
    too_many = await call("estimate_shipping", product="OUT-300", region="us-west", quantity=5)
    assert too_many["in_stock"] is False and "2026-11-25" in too_many["message"]


async def test_list_carriers(call: Any) -> None:
    result = await call("list_carriers", from_region="us-east", to_region="us-west")
    assert result["carriers"] == ["ParcelPost", "SwiftShip"]
    assert result["message"].endswith("SwiftShip overnight $34.99, 1 day.")


async def test_out_of_stock_tells_the_next_restock(call: Any) -> None:
    stock = await call("check_stock", product="KIT-200")
    assert stock["in_stock"] is False and stock["next_restock"]["expected_date"] == "2026-11-29"
    assert "expected 2026-11-29" in stock["message"]


async def test_shipping_goes_to_the_signed_in_shoppers_region_by_default(call: Any) -> None:
    mine = await call("estimate_shipping", "CUST-005", product="OUT-300")
    assert mine["to_region"] == "eu-central"
    anonymous = await call("estimate_shipping", None, product="OUT-300")
    assert anonymous["error"] == "invalid_request" and "eu-central" in anonymous["message"]
