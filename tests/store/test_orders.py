"""Order queries: scoped to their customer, and cancellation in one transaction."""

from __future__ import annotations

import pytest

from specialists.store import Store
from specialists.store.orders import (
    ORDER_STATUSES,
    cancel_order,
    canonical_order_id,
    get_order,
    list_orders,
    track_order,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_order_statuses_match_the_seed(seed_data: dict) -> None:
    assert {o["status"] for o in seed_data["orders"]} <= set(ORDER_STATUSES)


@pytest.mark.parametrize("text", ["ORD-1001", "ord-1001", "#1001", "1001", "order ORD 1001"])
async def test_canonical_order_id(text: str) -> None:
    assert canonical_order_id(text) == "ORD-1001"


async def test_list_orders_newest_first_and_by_status(store: Store) -> None:
    orders = await list_orders(store, "CUST-001")
    assert [o["order_id"] for o in orders] == ["ORD-1003", "ORD-1001", "ORD-1002", "ORD-1017"]
    assert orders[0]["items"] == ["1 x Ridge 45L Hiking Backpack", "2 x Headlamp HL-400"]
    assert orders[0]["item_count"] == 3
    shipped = await list_orders(store, "CUST-001", status="shipped")
    assert [o["order_id"] for o in shipped] == ["ORD-1001"]
    assert await list_orders(store, "CUST-404") == []


async def test_get_order_with_items_shipment_and_history(store: Store) -> None:
    order = await get_order(store, "CUST-001", "ord-1001")
    assert order is not None
    assert order["status"] == "shipped"
    assert order["total"] == 253.99
    assert order["subtotal"] == 248.0
    assert [(i["sku"], i["quantity"], i["unit_price"]) for i in order["items"]] == [
        ("AUD-100", 1, 179.0),
        ("OFF-405", 1, 69.0),
    ]
    assert order["shipment"]["tracking_number"] == "PA1001347044"
    assert order["shipment"]["estimated_delivery"] == "2026-11-21"
    assert [h["status"] for h in order["status_history"]] == ["placed", "processing", "shipped"]
    assert order["status_history"][0]["at"] == "2026-11-17T10:00:00Z"
    assert order["cancellable"] is False


async def test_another_customers_order_is_unknown(store: Store) -> None:
    assert await get_order(store, "CUST-002", "ORD-1001") is None
    assert await track_order(store, "CUST-002", "ORD-1001") is None
    assert await get_order(store, "CUST-002", "ORD-9999") is None
    assert "ORD-1001" not in [o["order_id"] for o in await list_orders(store, "CUST-002")]


async def test_track_order(store: Store) -> None:
    tracking = await track_order(store, "CUST-001", "ORD-1001")
    assert tracking is not None
    assert tracking["shipment"]["carrier"] == "ParcelPost"
    assert tracking["shipment"]["last_location"] == "Out for delivery"
    assert tracking["last_update"] == {"status": "shipped", "at": "2026-11-18T09:00:00Z"}
    unshipped = await track_order(store, "CUST-001", "ORD-1003")
    assert unshipped is not None and unshipped["shipment"] is None and unshipped["status"] == "placed"


@pytest.mark.parametrize(("customer", "order_id", "because"), [
    ("CUST-001", "ORD-1001", "already shipped"),
    ("CUST-001", "ORD-1002", "already been delivered"),
    ("CUST-003", "ORD-1007", "already cancelled"),
    ("CUST-001", "ORD-1017", "return"),
])  # fmt: skip
async def test_cancel_refused_changes_nothing(store: Store, customer: str, order_id: str, because: str) -> None:
    before = await get_order(store, customer, order_id)
    result = await cancel_order(store, customer, order_id)
    assert result is not None
    assert result["cancelled"] is False
    assert because in result["reason"]
    assert await get_order(store, customer, order_id) == before


async def test_cancel_of_another_customers_order_is_unknown(store: Store) -> None:
    assert await cancel_order(store, "CUST-002", "ORD-1003") is None
    order = await get_order(store, "CUST-001", "ORD-1003")
    assert order is not None and order["status"] == "placed"


async def test_cancel_placed_order(fresh_store: Store) -> None:
    result = await cancel_order(fresh_store, "CUST-001", "ORD-1003")
    assert result is not None
    assert result["cancelled"] is True
    assert result["total"] == 242.99
    order = await get_order(fresh_store, "CUST-001", "ORD-1003")
    assert order is not None
    assert order["status"] == "cancelled"
    assert [h["status"] for h in order["status_history"]] == ["placed", "cancelled"]
    assert order["status_history"][-1]["at"] == result["cancelled_at"]
    assert result["cancelled_at"] >= "2026-11-20T10:00:00Z"
    again = await cancel_order(fresh_store, "CUST-001", "ORD-1003")
    assert again is not None and again["cancelled"] is False and "already cancelled" in again["reason"]


async def test_cancel_processing_order(fresh_store: Store) -> None:
    result = await cancel_order(fresh_store, "CUST-002", "ORD-1004")
    assert result is not None and result["cancelled"] is True
    order = await get_order(fresh_store, "CUST-002", "ORD-1004")
    assert order is not None
    assert [h["status"] for h in order["status_history"]] == ["placed", "processing", "cancelled"]
