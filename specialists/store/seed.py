"""Loading `seed/store_seed.json` into an empty store, once, even when several processes start together."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from specialists.store.schema import (
    Base,
    Coupon,
    Customer,
    Inventory,
    LoyaltyTier,
    Meta,
    Order,
    OrderItem,
    OrderStatusHistory,
    Product,
    Promotion,
    Restock,
    Review,
    Shipment,
    ShippingRate,
    Warehouse,
)
from specialists.store.serialize import as_utc

SEED_PATH = Path(__file__).parent / "seed" / "store_seed.json"
SEED_MARKER = "seed_version"
SEED_SCHEMA_VERSION = 1  # the seed file's format (its `schema_version`) this code reads

Rows = list[dict[str, Any]]


def load_seed_data(path: Path = SEED_PATH) -> dict[str, Any]:
    """The parsed seed file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _moment(value: str | None) -> datetime | None:
    return None if value is None else as_utc(datetime.fromisoformat(value))


def _with_dates(rows: list[Mapping[str, Any]], days: tuple[str, ...]) -> Rows:
    return [{**row, **{key: _day(row[key]) for key in days}} for row in rows]


def _order_rows(orders: list[Mapping[str, Any]]) -> Iterator[tuple[type[Base], Rows]]:
    head_keys = ("order_id", "customer_id", "status", "subtotal", "shipping_cost", "total", "shipping_region")
    yield (
        Order,
        [{**{k: o[k] for k in head_keys}, "created_at": _moment(o["created_at"])} for o in orders],
    )
    yield OrderItem, [{"order_id": o["order_id"], **item} for o in orders for item in o["items"]]
    yield (
        Shipment,
        [
            {
                **s,
                "order_id": o["order_id"],
                "shipped_at": _moment(s["shipped_at"]),
                "delivered_at": _moment(s["delivered_at"]),
                "estimated_delivery": _day(s["estimated_delivery"]),
            }
            for o in orders
            if (s := o["shipment"]) is not None
        ],
    )
    history = [(o["order_id"], h) for o in orders for h in o["status_history"]]
    yield OrderStatusHistory, [{"order_id": oid, "status": h["status"], "at": _moment(h["at"])} for oid, h in history]


def seed_rows(data: Mapping[str, Any]) -> Iterator[tuple[type[Base], Rows]]:
    """(table, rows) pairs for every entity of the seed, parents before children."""
    yield Customer, list(data["customers"])
    yield Product, list(data["products"])
    yield Warehouse, list(data["warehouses"])
    yield Inventory, list(data["inventory"])
    yield Restock, _with_dates(data["restocks"], ("expected_date",))
    yield ShippingRate, list(data["shipping_rates"])
    yield from _order_rows(data["orders"])
    yield Review, _with_dates(data["reviews"], ("created_at",))
    yield Coupon, _with_dates(data["coupons"], ("valid_from", "valid_to"))
    yield Promotion, _with_dates(data["promotions"], ("valid_from", "valid_to"))
    yield LoyaltyTier, list(data["loyalty_tiers"])


def meta_rows(data: Mapping[str, Any]) -> Rows:
    """The `meta` rows of the seed; `seed_version` marks a loaded store."""
    return [
        {"key": SEED_MARKER, "value": str(data["schema_version"])},
        {"key": "as_of", "value": data["as_of"]},
        {"key": "currency", "value": data["currency"]},
    ]


async def is_seeded(engine: AsyncEngine) -> bool:
    """True once a seed has been loaded."""
    async with engine.connect() as conn:
        return (await conn.scalar(select(Meta.value).where(Meta.key == SEED_MARKER))) is not None


async def _load(conn: AsyncConnection, data: Mapping[str, Any]) -> None:
    await conn.execute(insert(Meta), meta_rows(data))
    for table, rows in seed_rows(data):
        if rows:
            await conn.execute(insert(table), rows)


async def seed_store(engine: AsyncEngine, data: Mapping[str, Any]) -> bool:
    """Load `data` into an empty store in one transaction; False when a seed is already there.

    The marker row goes in first: a concurrent loader blocks on it and then fails on its key,
    rolling back its own transaction, so the data is loaded exactly once.
    """
    if data.get("schema_version") != SEED_SCHEMA_VERSION:
        raise ValueError(f"the seed is of format {data.get('schema_version')}, this code reads {SEED_SCHEMA_VERSION}")
    if await is_seeded(engine):
        return False
    try:
        async with engine.begin() as conn:
            await _load(conn, data)
    except DBAPIError:
        if await is_seeded(engine):
            return False
        raise
    return True


async def reload_seed(engine: AsyncEngine, data: Mapping[str, Any]) -> None:
    """Replace every row of the store with `data` in one transaction (resets a demo or test store)."""
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
        await _load(conn, data)
