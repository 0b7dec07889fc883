"""Stock, restocks and shipping queries on the seeded store, on both backends."""

from __future__ import annotations

import pytest

from specialists.store import Store
from specialists.store.inventory import (
    REGIONS,
    carriers_between,
    next_restocks,
    shipping_estimate,
    shipping_rates,
    stock_levels,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_regions_match_the_seed(seed_data: dict) -> None:
    assert set(REGIONS) == {w["region"] for w in seed_data["warehouses"]}


async def test_stock_levels_per_warehouse(store: Store) -> None:
    stock = await stock_levels(store, "out-300")
    assert stock is not None
    assert stock["total"] == 3 and stock["in_stock"] is True
    holding = [(w["warehouse_id"], w["location"], w["quantity"]) for w in stock["warehouses"] if w["quantity"]]
    assert holding == [("WH-WEST", "Reno, NV", 3)]
    assert len(stock["warehouses"]) == 4
    out = await stock_levels(store, "KIT-200")
    assert out is not None and out["total"] == 0 and out["in_stock"] is False
    assert await stock_levels(store, "NOP-000") is None


async def test_next_restocks_from_today_on(store: Store) -> None:
    restocks = await next_restocks(store, "KIT-200")
    assert restocks is not None
    assert [(r["warehouse_id"], r["quantity"], r["expected_date"]) for r in restocks["restocks"]] == [
        ("WH-EAST", 40, "2026-11-29"),
        ("WH-EU", 15, "2026-12-06"),
    ]
    assert restocks["next"]["expected_date"] == "2026-11-29"
    none = await next_restocks(store, "AUD-101")
    assert none is not None and none["next"] is None and none["in_stock_now"] == 93


async def test_shipping_rates_and_carriers(store: Store) -> None:
    assert len(await shipping_rates(store)) == 42
    carriers = await carriers_between(store, "us-east", "us-west")
    assert carriers["carriers"] == ["ParcelPost", "SwiftShip"]
    assert [(o["service"], o["cost"], o["days"]) for o in carriers["options"]] == [
        ("standard", 7.99, 4),
        ("express", 15.99, 2),
        ("overnight", 34.99, 1),
    ]
    assert (await carriers_between(store, "eu-central", "us-east"))["carriers"] == ["ParcelPost"]


async def test_shipping_estimate_from_the_only_warehouse_with_stock(store: Store) -> None:
    estimate = await shipping_estimate(store, "OUT-300", "eu-central")
    assert estimate is not None
    assert estimate["nearest_warehouse"]["warehouse_id"] == "WH-WEST"
    cheapest, fastest = estimate["cheapest"], estimate["fastest"]
    assert (cheapest["carrier"], cheapest["service"], cheapest["cost"], cheapest["days"]) == (
        "ParcelPost", "standard", 11.99, 6,
    )  # fmt: skip
    assert (fastest["service"], fastest["cost"], fastest["days"]) == ("express", 21.99, 2)
    assert fastest["from_warehouse"] == "WH-WEST"
    assert fastest["estimated_delivery"] == "2026-11-22"


async def test_shipping_estimate_prefers_the_same_region(store: Store) -> None:
    estimate = await shipping_estimate(store, "AUD-101", "us-east")
    assert estimate is not None
    assert estimate["nearest_warehouse"]["warehouse_id"] == "WH-EAST"
    assert estimate["cheapest"]["from_warehouse"] == "WH-EAST" and estimate["cheapest"]["cost"] == 5.99
    assert estimate["fastest"]["from_warehouse"] == "WH-EAST" and estimate["fastest"]["days"] == 1


async def test_shipping_estimate_needs_the_quantity_in_one_warehouse(store: Store) -> None:
    estimate = await shipping_estimate(store, "OUT-300", "us-west", quantity=4)
    assert estimate is not None
    assert estimate["in_stock"] is False and estimate["options"] == []
    assert estimate["next_restock"]["expected_date"] == "2026-11-25"
    sold_out = await shipping_estimate(store, "KIT-200", "us-east")
    assert sold_out is not None and sold_out["cheapest"] is None
    assert sold_out["next_restock"]["warehouse_id"] == "WH-EAST"
