"""Catalog queries on the seeded store, on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from specialists.store import Store
from specialists.store.catalog import (
    CATEGORIES,
    UnknownProductError,
    compare_products,
    find_product,
    search_products,
    similar_products,
    suggest_products,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


def skus(results: list[dict[str, Any]]) -> list[str]:
    return [r["sku"] for r in results]


async def test_categories_match_the_seed(seed_data: dict[str, Any]) -> None:
    assert set(CATEGORIES) == {p["category"] for p in seed_data["products"]}


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("the trailpeak 2 tent", "OUT-300"),
        ("aurora pro", "AUD-101"),
        ("AeroBrew grinder", "KIT-201"),
        ("out-300", "OUT-300"),
        ("OUT 300", "OUT-300"),
        ("AeroBrew espresso machine", "KIT-200"),
        ("trailpeek tent", "OUT-300"),
        ("Aurora headphones", "AUD-100"),
        ("AeroBrew", "KIT-200"),
        ("the tent", "OUT-300"),
        ("the backpack", "OUT-303"),  # its own word, not part of "Backpacking"
    ],
)
async def test_find_product_by_sku_or_loose_name(store: Store, text: str, sku: str) -> None:
    product = await find_product(store, text)
    assert product is not None and product["sku"] == sku


async def test_find_product_returns_the_facts(store: Store) -> None:
    product = await find_product(store, "OUT-300")
    assert product == {
        "sku": "OUT-300",
        "name": "TrailPeak 2 Backpacking Tent",
        "brand": "Summitline",
        "category": "outdoor",
        "price": 239.0,
        "currency": "USD",
        "description": "Two-person freestanding backpacking tent, 1.6 kg, double wall, 3-season.",
        "attributes": {"capacity_people": 2, "weight_kg": 1.6, "seasons": 3},
    }


@pytest.mark.parametrize("text", ["xyz", "sony headphones", "ABC-999", ""])
async def test_find_product_refuses_what_is_not_close(store: Store, text: str) -> None:
    assert await find_product(store, text) is None


async def test_suggestions_for_a_near_miss(store: Store) -> None:
    assert "AUD-106" in skus(await suggest_products(store, "sony headphones"))
    assert await suggest_products(store, "xyz") == []


async def test_search_text_with_price_limit(store: Store) -> None:
    assert skus(await search_products(store, "headphones", max_price=200)) == ["AUD-106", "AUD-100"]
    assert skus(await search_products(store, "headphones under $200")) == ["AUD-106", "AUD-100"]


async def test_search_ranks_by_relevance_then_price(store: Store) -> None:
    assert skus(await search_products(store, "noise cancelling headphones")) == ["AUD-100", "AUD-101"]
    assert skus(await search_products(store, "espresso")) == ["KIT-200", "KIT-201"]  # name before description
    assert skus(await search_products(store, "Tents")) == ["OUT-300", "OUT-301"]


async def test_search_keeps_products_naming_the_word_over_those_holding_it_in_a_longer_one(store: Store) -> None:
    assert skus(await search_products(store, "kettles")) == ["KIT-202"]  # not the other Kettlecraft products
    assert skus(await search_products(store, "watch")) == ["WEA-500", "WEA-502"]  # only inside "smartwatch"


@pytest.mark.parametrize("attribute", ["noise_cancelling", "noise cancelling", "Noise-Cancelling"])
async def test_search_by_attribute_in_any_form(store: Store, attribute: str) -> None:
    found = await search_products(store, attribute=attribute, category="audio", max_price=200)
    assert skus(found) == ["AUD-103", "AUD-100"]
    assert all(p["attributes"]["noise_cancelling"] is True for p in found)


async def test_search_attribute_with_value_and_unknown_attribute(store: Store) -> None:
    assert skus(await search_products(store, attribute="water_resistance=IPX4")) == ["AUD-102"]
    assert skus(await search_products(store, attribute="waterproof")) == ["APP-600"]  # waterproof_mm


async def test_search_by_category_and_price_range(store: Store) -> None:
    found = await search_products(store, category="home office", min_price=70, max_price=130)
    assert skus(found) == ["OFF-406", "OFF-404"]
    assert await search_products(store, "coffee") == []


@pytest.mark.parametrize("category", ["wearables", "Wearables", "wearable"])
async def test_search_by_a_category_whose_name_stems_otherwise(store: Store, category: str) -> None:
    assert skus(await search_products(store, category=category, max_price=100)) == ["WEA-501"]


async def test_search_limit(store: Store) -> None:
    assert len(await search_products(store, category="outdoor", limit=3)) == 3


async def test_similar_products_prefer_the_same_kind_then_close_price(store: Store) -> None:
    similar = await similar_products(store, "out-300")
    assert similar is not None
    assert skus(similar) == ["OUT-301", "OUT-302", "OUT-303"]
    assert similar[0]["price_difference"] == 110.0
    assert {p["category"] for p in similar} == {"outdoor"}
    assert await similar_products(store, "NOP-000") is None


async def test_compare_products(store: Store) -> None:
    compared = await compare_products(store, ["AUD-100", "aud-101"])
    assert skus(compared["products"]) == ["AUD-100", "AUD-101"]
    assert compared["attributes"]["battery_hours"] == {"AUD-100": 40, "AUD-101": 30}
    assert compared["cheapest"]["sku"] == "AUD-100"
    assert compared["price_spread"] == 120.0
    with pytest.raises(UnknownProductError) as error:
        await compare_products(store, ["AUD-100", "XXX-1"])
    assert error.value.skus == ["XXX-1"]


async def test_an_irregular_plural_finds_its_singular(store: Store) -> None:
    found = await search_products(store, "kitchen knives")
    assert [p["sku"] for p in found] == ["KIT-203"]
