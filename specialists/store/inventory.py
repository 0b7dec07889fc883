"""Inventory and fulfillment queries: stock per warehouse, restocks, shipping rates and estimates."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from specialists.store.catalog import canonical_sku
from specialists.store.database import Store
from specialists.store.results import (
    Carriers,
    Rate,
    Restocks,
    ShippingEstimate,
    ShippingOption,
    StockLevels,
    UpcomingRestock,
    WarehouseFacts,
)
from specialists.store.schema import Customer, Inventory, Product, Restock, ShippingRate, Warehouse
from specialists.store.serialize import iso_date, money

Region = Literal["us-east", "us-central", "us-west", "eu-central"]
REGIONS: tuple[str, ...] = get_args(Region)


def _warehouse(warehouse: Warehouse) -> WarehouseFacts:
    return {"warehouse_id": warehouse.warehouse_id, "location": warehouse.location, "region": warehouse.region}


def _rate(rate: ShippingRate) -> Rate:
    return {
        "carrier": rate.carrier,
        "service": rate.service,
        "from_region": rate.from_region,
        "to_region": rate.to_region,
        "cost": money(rate.cost),
        "days": rate.days,
    }


def _stock_rows(session: Session, sku: str) -> list[tuple[Warehouse, int]]:
    rows = session.execute(
        select(Warehouse, Inventory.quantity)
        .join(Inventory, Inventory.warehouse_id == Warehouse.warehouse_id)
        .where(Inventory.sku == sku)
        .order_by(Warehouse.warehouse_id)
    )
    return [(warehouse, quantity) for warehouse, quantity in rows]


def _upcoming_restocks(session: Session, store: Store, sku: str) -> list[UpcomingRestock]:
    rows = session.execute(
        select(Restock, Warehouse)
        .join(Warehouse, Warehouse.warehouse_id == Restock.warehouse_id)
        .where(Restock.sku == sku, Restock.expected_date >= store.today)
        .order_by(Restock.expected_date, Restock.warehouse_id)
    )
    return [{**_warehouse(w), "quantity": r.quantity, "expected_date": iso_date(r.expected_date)} for r, w in rows]


async def stock_levels(store: Store, sku: str) -> StockLevels | None:
    """Units of `sku` per warehouse and in total, and the next restock when none is in stock; None for an
    unknown SKU."""
    return await store.read(lambda session: _stock_levels(session, store, sku))


def _stock_levels(session: Session, store: Store, sku: str) -> StockLevels | None:
    product = session.get(Product, canonical_sku(sku))
    if product is None:
        return None
    rows = _stock_rows(session, product.sku)
    total = sum(quantity for _, quantity in rows)
    restocks = [] if total else _upcoming_restocks(session, store, product.sku)
    stock: StockLevels = {
        "sku": product.sku,
        "name": product.name,
        "total": total,
        "in_stock": total > 0,
        "warehouses": [{**_warehouse(w), "quantity": quantity} for w, quantity in rows],
    }
    if not total:
        stock["next_restock"] = restocks[0] if restocks else None
    return stock


async def customer_region(store: Store, customer_id: str) -> str | None:
    """The region the customer's orders ship to, None for an unknown customer."""
    customer = await store.read(lambda session: session.get(Customer, customer_id))
    return customer.region if customer else None


async def next_restocks(store: Store, sku: str) -> Restocks | None:
    """Restocks of `sku` expected from the store's today on, soonest first; None for an unknown SKU."""
    return await store.read(lambda session: _next_restocks(session, store, sku))


def _next_restocks(session: Session, store: Store, sku: str) -> Restocks | None:
    product = session.get(Product, canonical_sku(sku))
    if product is None:
        return None
    stock = sum(quantity for _, quantity in _stock_rows(session, product.sku))
    restocks = _upcoming_restocks(session, store, product.sku)
    return {
        "sku": product.sku,
        "name": product.name,
        "in_stock_now": stock,
        "restocks": restocks,
        "next": restocks[0] if restocks else None,
    }


async def shipping_rates(store: Store, from_region: str | None = None, to_region: str | None = None) -> list[Rate]:
    """Every carrier service, optionally between two regions, cheapest first."""
    statement = select(ShippingRate).order_by(ShippingRate.cost, ShippingRate.days, ShippingRate.carrier)
    if from_region:
        statement = statement.where(ShippingRate.from_region == from_region)
    if to_region:
        statement = statement.where(ShippingRate.to_region == to_region)
    return await store.read(lambda session: [_rate(r) for r in session.scalars(statement)])


async def carriers_between(store: Store, from_region: str, to_region: str) -> Carriers:
    """The carriers and services from one region to another, cheapest first."""
    options = await shipping_rates(store, from_region, to_region)
    return {
        "from_region": from_region,
        "to_region": to_region,
        "carriers": sorted({o["carrier"] for o in options}),
        "options": options,
    }


async def shipping_estimate(store: Store, sku: str, to_region: str, quantity: int = 1) -> ShippingEstimate | None:
    """Delivery options for `quantity` units of `sku` to `to_region` from warehouses holding them.

    Gives every option plus the cheapest and the fastest (ties go to the same-region warehouse), and the
    nearest warehouse with stock (same region first, else the cheapest to ship from). With no warehouse
    holding the quantity, `options` is empty and the next restock is given instead. None for an unknown SKU.
    """
    return await store.read(lambda session: _shipping_estimate(session, store, sku, to_region, quantity))


def _shipping_estimate(
    session: Session, store: Store, sku: str, to_region: str, quantity: int
) -> ShippingEstimate | None:
    product = session.get(Product, canonical_sku(sku))
    if product is None:
        return None
    stocked = [w for w, available in _stock_rows(session, product.sku) if available >= quantity]
    rates = list(
        session.scalars(
            select(ShippingRate).where(
                ShippingRate.to_region == to_region,
                ShippingRate.from_region.in_({w.region for w in stocked}),
            )
        )
    )
    restocks = [] if stocked else _upcoming_restocks(session, store, product.sku)
    options: list[ShippingOption] = [
        {
            **_rate(rate),
            "from_warehouse": warehouse.warehouse_id,
            "from_location": warehouse.location,
            "estimated_delivery": iso_date(store.today + timedelta(days=rate.days)),
        }
        for warehouse in stocked
        for rate in rates
        if rate.from_region == warehouse.region
    ]
    options.sort(key=lambda o: (o["from_region"] != to_region, o["cost"], o["days"], o["from_warehouse"]))
    nearest = options[0]["from_warehouse"] if options else None
    return {
        "sku": product.sku,
        "name": product.name,
        "to_region": to_region,
        "quantity": quantity,
        "in_stock": bool(stocked),
        "nearest_warehouse": next((_warehouse(w) for w in stocked if w.warehouse_id == nearest), None),
        "cheapest": min(options, key=lambda o: (o["cost"], o["days"], o["from_region"] != to_region), default=None),
        "fastest": min(options, key=lambda o: (o["days"], o["cost"], o["from_region"] != to_region), default=None),
        "options": options,
        "next_restock": restocks[0] if restocks else None,
    }
