"""The seed loads exactly, once, on both backends, even when several processes start together."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from specialists.store import Store, open_store
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
from specialists.store.seed import seed_store

pytestmark = pytest.mark.asyncio(loop_scope="session")

REPO_ROOT = Path(__file__).resolve().parents[2]


async def count_rows(store: Store) -> dict[str, int]:
    async with store.sessions() as session:
        return {
            table.__tablename__: await session.scalar(select(func.count()).select_from(table))
            for table in (
                Customer, Product, Warehouse, Inventory, Restock, ShippingRate, Order, OrderItem, Shipment,
                OrderStatusHistory, Review, Coupon, Promotion, LoyaltyTier, Meta,
            )
        }  # fmt: skip


def expected_counts(seed: dict[str, Any]) -> dict[str, int]:
    orders = seed["orders"]
    plain = ("customers", "products", "warehouses", "inventory", "restocks", "shipping_rates", "reviews", "coupons")
    return {
        **{key: len(seed[key]) for key in plain},
        "promotions": len(seed["promotions"]),
        "loyalty_tiers": len(seed["loyalty_tiers"]),
        "orders": len(orders),
        "order_items": sum(len(o["items"]) for o in orders),
        "shipments": sum(o["shipment"] is not None for o in orders),
        "order_status_history": sum(len(o["status_history"]) for o in orders),
        "meta": 3,
    }


async def test_seed_loads_the_exact_counts_of_the_file(store: Store, seed_data: dict[str, Any]) -> None:
    counts = await count_rows(store)
    assert counts == expected_counts(seed_data)
    assert counts["products"] == 41
    assert counts["orders"] == 26
    assert counts["customers"] == 6
    assert counts["inventory"] == 164
    assert counts["reviews"] == 283  # the data README says 289; the file holds 283


async def test_today_is_the_seed_as_of_date(store: Store) -> None:
    assert store.today.isoformat() == "2026-11-20"
    assert store.now().date() == store.today


async def test_loading_twice_is_idempotent(store: Store, store_url: str, seed_data: dict[str, Any]) -> None:
    before = await count_rows(store)
    assert await seed_store(store.engine, seed_data) is False
    again = await open_store(store_url)
    try:
        assert await count_rows(again) == before
    finally:
        await again.close()


async def test_sqlite_file_gets_its_folder_and_wal(tmp_path: Path) -> None:
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'a' / 'b' / 'store.db'}")
    try:
        async with store.engine.connect() as conn:
            assert (await conn.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await conn.scalar(text("PRAGMA busy_timeout"))) >= 1000
        assert (tmp_path / "a" / "b" / "store.db").exists()
    finally:
        await store.close()


async def test_in_memory_sqlite_works(seed_data: dict[str, Any]) -> None:
    store = await open_store("sqlite+aiosqlite:///:memory:")
    try:
        assert (await count_rows(store))["reviews"] == len(seed_data["reviews"])
    finally:
        await store.close()


async def test_open_without_seed_leaves_the_tables_empty(tmp_path: Path) -> None:
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", seed=False)
    try:
        assert set(await count_rows(store)) == {t.name for t in Base.metadata.sorted_tables}
        assert sum((await count_rows(store)).values()) == 0
    finally:
        await store.close()


async def test_concurrent_starts_in_one_process_load_once(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    stores = await asyncio.gather(*(open_store(url) for _ in range(4)))
    try:
        assert await count_rows(stores[0]) == expected_counts(seed_data)
    finally:
        await asyncio.gather(*(s.close() for s in stores))


async def test_concurrent_processes_load_once(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'procs' / 'store.db'}"
    script = (
        "import asyncio, sys\n"
        "from specialists.store import open_store\n"
        "async def main():\n"
        "    store = await open_store(sys.argv[1])\n"
        "    await store.close()\n"
        "asyncio.run(main())\n"
    )
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, url, cwd=REPO_ROOT, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = await asyncio.gather(*(p.communicate() for p in processes))
    assert [p.returncode for p in processes] == [0, 0, 0], [err.decode()[-500:] for _, err in results]
    store = await open_store(url, seed=False)
    try:
        assert await count_rows(store) == expected_counts(seed_data)
    finally:
        await store.close()
