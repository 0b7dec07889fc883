"""Order queries, always scoped to one customer: another customer's order behaves like an unknown id."""

from __future__ import annotations

import re
from typing import Literal, get_args

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from specialists.store.database import Store
from specialists.store.results import (
    Cancelled,
    CancelRefused,
    OrderDetails,
    OrderItem,
    OrderSummary,
    Shipment,
    StatusChange,
    Tracking,
)
from specialists.store.schema import Order, OrderStatusHistory
from specialists.store.serialize import as_utc, iso_date, iso_datetime, money, optional

OrderStatus = Literal["placed", "processing", "shipped", "delivered", "cancelled", "return_requested"]
ORDER_STATUSES: tuple[str, ...] = get_args(OrderStatus)
CANCELLABLE_STATUSES = frozenset({"placed", "processing"})

_ORDER_ID = re.compile(r"(?:\bord)?[-\s#]*(\d{3,})\b", re.IGNORECASE)
_REFUSALS = {
    "shipped": "it has already shipped",
    "delivered": "it has already been delivered",
    "cancelled": "it is already cancelled",
    "return_requested": "a return is already in progress for it",
}


def canonical_order_id(text: str) -> str:
    """`text` as an order id: "ord-1001", "#1001" and "1001" all mean "ORD-1001"."""
    found = _ORDER_ID.search(text)
    return f"ORD-{found.group(1)}" if found else text.strip().upper()


def cancel_refusal(order_id: str, status: str) -> str | None:
    """Why an order in `status` can't be cancelled, or None when it can (placed or processing)."""
    if status in CANCELLABLE_STATUSES:
        return None
    because = _REFUSALS.get(status, f"its status is {status}")
    return f"{order_id} can't be cancelled because {because}; only placed or processing orders can be cancelled."


def _owned(customer_id: str) -> Select[Order]:
    return (
        select(Order)
        .where(Order.customer_id == customer_id)
        .options(selectinload(Order.items), selectinload(Order.shipment), selectinload(Order.history))
    )


def _owned_order(session: Session, customer_id: str, order_id: str) -> Order | None:
    return session.scalar(_owned(customer_id).where(Order.order_id == canonical_order_id(order_id)))


def _summary(order: Order) -> OrderSummary:
    return {
        "order_id": order.order_id,
        "created_at": iso_datetime(order.created_at),
        "status": order.status,
        "total": money(order.total),
        "item_count": sum(item.quantity for item in order.items),
        "items": [f"{item.quantity} x {item.name}" for item in order.items],
    }


def _shipment(order: Order) -> Shipment | None:
    shipment = order.shipment
    if shipment is None:
        return None
    return {
        "carrier": shipment.carrier,
        "service": shipment.service,
        "tracking_number": shipment.tracking_number,
        "shipped_at": optional(iso_datetime, shipment.shipped_at),
        "estimated_delivery": optional(iso_date, shipment.estimated_delivery),
        "delivered_at": optional(iso_datetime, shipment.delivered_at),
        "last_location": shipment.last_location,
    }


def _history(order: Order) -> list[StatusChange]:
    return [{"status": h.status, "at": iso_datetime(h.at)} for h in order.history]


def _items(order: Order) -> list[OrderItem]:
    return [
        {
            "sku": item.sku,
            "name": item.name,
            "quantity": item.quantity,
            "unit_price": money(item.unit_price),
            "line_total": money(item.unit_price * item.quantity),
        }
        for item in order.items
    ]


def _details(order: Order) -> OrderDetails:
    return {
        **_summary(order),
        "items": _items(order),
        "subtotal": money(order.subtotal),
        "shipping_cost": money(order.shipping_cost),
        "shipping_region": order.shipping_region,
        "shipment": _shipment(order),
        "status_history": _history(order),
        "cancellable": order.status in CANCELLABLE_STATUSES,
    }


async def list_orders(store: Store, customer_id: str, status: str | None = None) -> list[OrderSummary]:
    """The customer's orders, newest first, optionally only those in `status`."""
    statement = _owned(customer_id).order_by(Order.created_at.desc(), Order.order_id.desc())
    if status:
        statement = statement.where(Order.status == status)
    return await store.read(lambda session: [_summary(order) for order in session.scalars(statement)])


async def get_order(store: Store, customer_id: str, order_id: str) -> OrderDetails | None:
    """One of the customer's orders with items, shipment and status history; None if not theirs or unknown."""

    def read(session: Session) -> OrderDetails | None:
        order = _owned_order(session, customer_id, order_id)
        return _details(order) if order else None

    return await store.read(read)


async def track_order(store: Store, customer_id: str, order_id: str) -> Tracking | None:
    """Where one of the customer's orders is: status, latest update and shipment; None if not theirs or unknown."""

    def read(session: Session) -> Tracking | None:
        order = _owned_order(session, customer_id, order_id)
        if order is None:
            return None
        history = _history(order)
        return {
            "order_id": order.order_id,
            "status": order.status,
            "shipping_region": order.shipping_region,
            "items": _items(order),
            "last_update": history[-1] if history else None,
            "shipment": _shipment(order),
        }

    return await store.read(read)


async def cancel_order(store: Store, customer_id: str, order_id: str) -> Cancelled | CancelRefused | None:
    """Cancel a placed or processing order of the customer in one transaction (status plus a history row).

    Returns `cancelled` true with the new status, or false with the `reason` and nothing changed;
    None when the order is not theirs or unknown. Stock is not touched.
    """
    async with store.sessions.begin() as session:
        order = await session.scalar(
            _owned(customer_id).where(Order.order_id == canonical_order_id(order_id)).with_for_update(of=Order)
        )
        if order is None:
            return None
        refusal = cancel_refusal(order.order_id, order.status)
        if refusal:
            return {"order_id": order.order_id, "cancelled": False, "status": order.status, "reason": refusal}
        at = max([store.now(), *(as_utc(h.at) for h in order.history)])
        order.status = "cancelled"
        session.add(OrderStatusHistory(order_id=order.order_id, status="cancelled", at=at))
        total, items = money(order.total), _summary(order)["items"]
    return {
        "order_id": order.order_id,
        "cancelled": True,
        "status": "cancelled",
        "cancelled_at": iso_datetime(at),
        "total": total,
        "items": items,
    }
