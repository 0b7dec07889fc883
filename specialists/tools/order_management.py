"""Tools of the order-management specialist: the signed-in shopper's orders, tracking and cancellation.

The shopper is always the request's verified identity, never an argument. `cancel_order` only proposes
the cancellation; the service calls `confirm_cancel_order` after the shopper's explicit yes.
"""

from __future__ import annotations

from typing import Annotated

from agent_framework import FunctionTool
from pydantic import Field

from specialists.store import Store
from specialists.store import orders as order_queries
from specialists.store.orders import CANCELLABLE_STATUSES, OrderStatus, cancel_refusal, canonical_order_id
from specialists.store.results import OrderDetails, Tracking
from specialists.tools.common import Result, ToolError, failure, label, plural, signed_in_customer, store_tool, usd

OrderIdArg = Annotated[str, Field(description="The order id, e.g. ORD-1001; a bare number such as 1001 means the same")]
StatusArg = Annotated[OrderStatus | None, Field(description="Only orders with this status, e.g. shipped; omit for all")]

SIGN_IN = "Please sign in to see your orders."


def _not_found(order_id: str) -> ToolError:
    order_id = canonical_order_id(order_id)
    return failure("not_found", f"I couldn't find order {order_id} among your orders.", order_id=order_id)


def _status(status: str) -> str:
    return status.replace("_", " ")


def _item_lines(order: OrderDetails | Tracking) -> list[str]:
    """ "2 x Headlamp HL-400 (OUT-306)": with the SKU, which the next question may be about at another desk."""
    return [f"{i['quantity']} x {label(i)}" for i in order["items"]]


def _tracking_message(tracking: Tracking) -> str:
    """Where the order is, naming what it holds, which the next question may be about ("how long would
    shipping take?", "do you have it in Dallas?") at a desk that reads only this text."""
    status, shipment = tracking["status"], tracking["shipment"]
    order = f"{tracking['order_id']} ({', '.join(_item_lines(tracking))})"
    if shipment is None:
        return f"{order} is {_status(status)}" + (" and hasn't shipped yet." if status in CANCELLABLE_STATUSES else ".")
    via = f"{shipment['carrier']} {shipment['service']}, tracking {shipment['tracking_number']}"
    if shipment["delivered_at"]:
        # what became of it since ("a return is requested") is where it is now, as much as the delivery
        since = f" Its status now: {_status(status)}." if status != "delivered" else ""
        return f"{order} was delivered on {shipment['delivered_at'][:10]} ({via}).{since}"
    assert shipment["shipped_at"] is not None  # a shipment is recorded when the order ships
    return (
        f"{order} shipped on {shipment['shipped_at'][:10]} with {via}. Latest update: "
        f"{shipment['last_location']}; it should arrive by {shipment['estimated_delivery']}."
    )


async def confirm_cancel_order(store: Store, customer_id: str | None, order_id: str) -> Result:
    """Cancel the shopper's order after their explicit yes (one transaction); refusals change nothing."""
    if customer_id is None:
        return {"error": "sign_in_required", "message": SIGN_IN}
    outcome = await order_queries.cancel_order(store, customer_id, order_id)
    if outcome is None:
        return _not_found(order_id).result
    if not outcome["cancelled"]:
        return {**outcome, "message": outcome["reason"]}
    message = f"{outcome['order_id']} is cancelled ({', '.join(outcome['items'])}, {usd(outcome['total'])})."
    return {**outcome, "message": message}


def build_tools(store: Store) -> list[FunctionTool]:
    """The order-management tools over `store`, scoped to the request's shopper."""

    async def list_my_orders(status: StatusArg = None) -> Result:
        customer_id = signed_in_customer(SIGN_IN)
        orders = await order_queries.list_orders(store, customer_id, status)
        which = f"{_status(status)} order" if status else "order"
        if not orders:
            message = f"You have no {which}s."
        else:
            listing = "; ".join(
                f"{o['order_id']} from {o['created_at'][:10]} ({_status(o['status'])}, {usd(o['total'])})"
                for o in orders
            )
            newest = ", newest first" if len(orders) > 1 else ""
            message = f"You have {plural(len(orders), which)}{newest}: {listing}."
        return {"count": len(orders), "orders": orders, "message": message}

    async def get_order_details(order_id: OrderIdArg) -> Result:
        order = await order_queries.get_order(store, signed_in_customer(SIGN_IN), order_id)
        if order is None:
            raise _not_found(order_id)
        message = (
            f"{order['order_id']} from {order['created_at'][:10]} is {_status(order['status'])}: "
            f"{', '.join(_item_lines(order))}; total {usd(order['total'])}."
        )
        return {**order, "message": message}

    async def track_order(order_id: OrderIdArg) -> Result:
        tracking = await order_queries.track_order(store, signed_in_customer(SIGN_IN), order_id)
        if tracking is None:
            raise _not_found(order_id)
        return {**tracking, "message": _tracking_message(tracking)}

    async def cancel_order(order_id: OrderIdArg) -> Result:
        order = await order_queries.get_order(store, signed_in_customer(SIGN_IN), order_id)
        if order is None:
            raise _not_found(order_id)
        refusal = cancel_refusal(order["order_id"], order["status"])
        if refusal:
            facts = {"order_id": order["order_id"], "status": order["status"], "cancellable": False}
            return {**facts, "reason": refusal, "message": refusal}
        summary = f"{', '.join(_item_lines(order))}, {usd(order['total'])}"
        return {
            "confirmation_required": True,
            "action": {"type": "cancel_order", "order_id": order["order_id"]},
            "order_id": order["order_id"],
            "status": order["status"],
            "items": order["items"],
            "total": order["total"],
            "message": f"Cancel {order['order_id']} ({summary})? Reply yes to confirm.",
        }

    return [
        store_tool(
            list_my_orders,
            name="list_my_orders",
            description=(
                "List the signed-in shopper's orders, newest first, optionally only those with one status. "
                "Returns each order's id, date, status, total and items: use it to find an order the shopper "
                "describes without giving its id."
            ),
        ),
        store_tool(
            get_order_details,
            name="get_order_details",
            description="Details of one of the shopper's orders: items, quantities, amounts, status and its history.",
        ),
        store_tool(
            track_order,
            name="track_order",
            description=(
                "Track one of the shopper's orders or packages: whether it has shipped, where it is now (last "
                "location), carrier, tracking number and the estimated or actual delivery date."
            ),
        ),
        store_tool(
            cancel_order,
            name="cancel_order",
            description=(
                "Cancel one of the shopper's orders if it is still placed or processing. It only proposes the "
                "cancellation, which the shopper confirms with a yes before anything changes; a shipped or "
                "delivered order is refused with the reason."
            ),
        ),
    ]
