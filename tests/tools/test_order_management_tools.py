"""Order tools: identity from the request only, scoping to the shopper, and the confirmed cancellation."""

from __future__ import annotations

from typing import Any

import pytest

from specialists.store import Store
from specialists.store.orders import get_order
from specialists.tools.order_management import confirm_cancel_order

pytestmark = pytest.mark.asyncio(loop_scope="session")

SIGN_IN = {"error": "sign_in_required", "message": "Please sign in to see your orders."}


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("list_my_orders", {}),
        ("get_order_details", {"order_id": "ORD-1001"}),
        ("track_order", {"order_id": "ORD-1001"}),
        ("cancel_order", {"order_id": "ORD-1003"}),
    ],
)
async def test_anonymous_shoppers_must_sign_in(call: Any, tool: str, arguments: dict[str, str]) -> None:
    assert await call(tool, None, **arguments) == SIGN_IN


async def test_list_my_orders(call: Any) -> None:
    result = await call("list_my_orders", "CUST-001")
    assert [o["order_id"] for o in result["orders"]] == ["ORD-1003", "ORD-1001", "ORD-1002", "ORD-1017"]
    shipped = await call("list_my_orders", "CUST-001", status="shipped")
    assert shipped["message"] == "You have 1 shipped order: ORD-1001 from 2026-11-17 (shipped, $253.99)."


async def test_order_details_and_tracking(call: Any) -> None:
    details = await call("get_order_details", "CUST-001", order_id="ord-1001")
    assert details["order_id"] == "ORD-1001" and details["total"] == 253.99
    assert (
        "1 x Aurora ANC Over-Ear Headphones (AUD-100), 1 x Precision Wireless Mouse M5 (OFF-405)" in details["message"]
    )
    tracking = await call("track_order", "CUST-001", order_id="ORD-1001")
    assert tracking["shipment"]["tracking_number"] == "PA1001347044"
    assert "Out for delivery" in tracking["message"] and "2026-11-21" in tracking["message"]
    assert tracking["message"].startswith("ORD-1001 (1 x Aurora ANC Over-Ear Headphones (AUD-100), 1 x Precision")


async def test_tracking_an_order_not_shipped_names_its_items(call: Any) -> None:
    # "how long would shipping take?" next goes to the stock desk, which reads only this answer's text.
    placed = await call("track_order", "CUST-004", order_id="ORD-1021")
    assert placed["message"] == (
        "ORD-1021 (2 x Alpine Down Sleeping Bag -5C (OUT-302), 1 x Headlamp HL-400 (OUT-306)) is processing "
        "and hasn't shipped yet."
    )
    assert [i["sku"] for i in placed["items"]] == ["OUT-302", "OUT-306"]


async def test_tracking_a_delivered_order_says_what_became_of_it_since(call: Any) -> None:
    # "wheres my monitor return at": the order's status now is where it is, as much as its delivery
    returned = await call("track_order", "CUST-004", order_id="ORD-1009")
    assert returned["status"] == "return_requested"
    assert returned["message"].endswith("Its status now: return requested.")
    delivered = await call("track_order", "CUST-001", order_id="ORD-1002")
    assert delivered["status"] == "delivered" and "status now" not in delivered["message"]


@pytest.mark.parametrize("tool", ["get_order_details", "track_order", "cancel_order"])
async def test_another_customers_order_looks_unknown(call: Any, tool: str) -> None:
    theirs = await call(tool, "CUST-002", order_id="ORD-1001")
    unknown = await call(tool, "CUST-002", order_id="ORD-9999")
    assert theirs == {
        "error": "not_found",
        "message": "I couldn't find order ORD-1001 among your orders.",
        "order_id": "ORD-1001",
    }
    assert unknown["error"] == "not_found" and unknown.keys() == theirs.keys()


async def test_cancel_of_a_shipped_order_is_refused(call: Any, store: Store) -> None:
    before = await get_order(store, "CUST-001", "ORD-1001")
    result = await call("cancel_order", "CUST-001", order_id="ORD-1001")
    assert "confirmation_required" not in result
    assert result["cancellable"] is False and "already shipped" in result["message"]
    assert await get_order(store, "CUST-001", "ORD-1001") == before


async def test_cancel_waits_for_confirmation(call: Any, fresh_store: Store) -> None:
    proposal = await call("cancel_order", "CUST-001", order_id="ORD-1003")
    assert proposal["confirmation_required"] is True
    assert proposal["action"] == {"type": "cancel_order", "order_id": "ORD-1003"}
    assert proposal["message"] == (
        "Cancel ORD-1003 (1 x Ridge 45L Hiking Backpack (OUT-303), 2 x Headlamp HL-400 (OUT-306), $242.99)? Reply "
        "yes to confirm."
    )
    unchanged = await get_order(fresh_store, "CUST-001", "ORD-1003")
    assert unchanged is not None and unchanged["status"] == "placed" and len(unchanged["status_history"]) == 1

    assert (await confirm_cancel_order(fresh_store, "CUST-002", "ORD-1003"))["error"] == "not_found"
    assert await confirm_cancel_order(fresh_store, None, "ORD-1003") == SIGN_IN
    done = await confirm_cancel_order(fresh_store, "CUST-001", "ORD-1003")
    assert done["cancelled"] is True and done["message"].startswith("ORD-1003 is cancelled")
    cancelled = await get_order(fresh_store, "CUST-001", "ORD-1003")
    assert cancelled is not None and [h["status"] for h in cancelled["status_history"]] == ["placed", "cancelled"]

    again = await confirm_cancel_order(fresh_store, "CUST-001", "ORD-1003")
    assert again["cancelled"] is False and "already cancelled" in again["message"]
