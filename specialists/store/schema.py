"""The store's tables as SQLAlchemy 2 ORM models; the same schema runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column, relationship


def _money(*, nullable: bool = False) -> MappedColumn[Any]:
    """A USD amount with cents, read back as a float (SQLite has no native decimal)."""
    return mapped_column(Numeric(10, 2, asdecimal=False), nullable=nullable)


class Base(DeclarativeBase):
    """Declarative base of the store's tables (kept apart from the host's session tables)."""


class Meta(Base):
    """Key/value facts about the loaded data, e.g. `seed_version` and `as_of` (the store's today)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


class Customer(Base):
    """A shopper with a loyalty tier and a home region."""

    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    email: Mapped[str] = mapped_column(String(256))
    tier: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(32))


class Product(Base):
    """A catalog item; `attributes` holds its specifications as JSON."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    brand: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(64), index=True)
    price: Mapped[float] = _money()
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    description: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Warehouse(Base):
    """A fulfillment site in one region."""

    __tablename__ = "warehouses"

    warehouse_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    location: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(32))


class Inventory(Base):
    """Units of one product held in one warehouse."""

    __tablename__ = "inventory"

    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.warehouse_id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class Restock(Base):
    """An expected delivery of units to a warehouse."""

    __tablename__ = "restocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.warehouse_id"))
    quantity: Mapped[int] = mapped_column(Integer)
    expected_date: Mapped[date] = mapped_column(Date)


class ShippingRate(Base):
    """One carrier service between two regions: cost and transit days."""

    __tablename__ = "shipping_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    carrier: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(32))
    from_region: Mapped[str] = mapped_column(String(32), index=True)
    to_region: Mapped[str] = mapped_column(String(32))
    cost: Mapped[float] = _money()
    days: Mapped[int] = mapped_column(Integer)


class Order(Base):
    """A customer's order with its amounts; items, shipment and history load explicitly."""

    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(32))
    subtotal: Mapped[float] = _money()
    shipping_cost: Mapped[float] = _money()
    total: Mapped[float] = _money()
    shipping_region: Mapped[str] = mapped_column(String(32))

    items: Mapped[list[OrderItem]] = relationship(lazy="raise", order_by="OrderItem.id")
    shipment: Mapped[Shipment | None] = relationship(lazy="raise")
    history: Mapped[list[OrderStatusHistory]] = relationship(lazy="raise", order_by="OrderStatusHistory.id")


class OrderItem(Base):
    """One line of an order, with the name and price at the time of purchase."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    name: Mapped[str] = mapped_column(String(256))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[float] = _money()


class Shipment(Base):
    """The carrier leg of a shipped order."""

    __tablename__ = "shipments"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), primary_key=True)
    carrier: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(32))
    tracking_number: Mapped[str] = mapped_column(String(64))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    estimated_delivery: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_location: Mapped[str | None] = mapped_column(String(128))


class OrderStatusHistory(Base):
    """One status change of an order, in the order it happened."""

    __tablename__ = "order_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Review(Base):
    """A customer review of a product."""

    __tablename__ = "reviews"

    review_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    author: Mapped[str] = mapped_column(String(128))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[date] = mapped_column(Date)
    verified_purchase: Mapped[bool] = mapped_column(Boolean)


class Coupon(Base):
    """A discount code with its validity window and eligibility rules."""

    __tablename__ = "coupons"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    description: Mapped[str] = mapped_column(String(256))
    percent_off: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False))
    amount_off: Mapped[float | None] = _money(nullable=True)
    min_spend: Mapped[float] = _money()
    category: Mapped[str | None] = mapped_column(String(64))
    tier: Mapped[str | None] = mapped_column(String(16))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    first_order_only: Mapped[bool] = mapped_column(Boolean)


class Promotion(Base):
    """A bundle deal: `percent_off` on every SKU of `bundle_skus` bought together."""

    __tablename__ = "promotions"

    promotion_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text)
    bundle_skus: Mapped[list[str]] = mapped_column(JSON)
    percent_off: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)


class LoyaltyTier(Base):
    """The standing discount and free-shipping threshold of a loyalty tier."""

    __tablename__ = "loyalty_tiers"

    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    discount_percent: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    free_shipping_min_spend: Mapped[float] = _money()
