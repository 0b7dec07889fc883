"""Review queries on the seeded store, on both backends."""

from __future__ import annotations

import pytest

from specialists.store import Store
from specialists.store.catalog import UnknownProductError
from specialists.store.reviews import compare_ratings, pros_and_cons, rating_summary, search_reviews

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_rating_summary(store: Store, seed_data: dict) -> None:
    summary = await rating_summary(store, "aud-100")
    assert summary is not None
    ratings = [r["rating"] for r in seed_data["reviews"] if r["sku"] == "AUD-100"]
    assert summary["average_rating"] == round(sum(ratings) / len(ratings), 2) == 4.3
    assert summary["review_count"] == 10
    assert summary["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 5, "5": 4}
    assert await rating_summary(store, "NOP-000") is None


async def test_pros_and_cons(store: Store, seed_data: dict) -> None:
    result = await pros_and_cons(store, "OFF-400")
    assert result is not None
    assert (result["positive_count"], result["negative_count"]) == (7, 1)
    assert result["pros"][0] == {
        "point": "Build quality is excellent.",
        "mentions": 3,
        "examples": [
            {"quote": "Build quality is excellent.", "rating": 4, "author": "Priya"},
            {"quote": "Build quality is excellent.", "rating": 5, "author": "Jordan"},
        ],
    }
    negative = [r["body"] for r in seed_data["reviews"] if r["sku"] == "OFF-400" and r["rating"] <= 2]
    assert [c["point"] for c in result["cons"]] == negative == ["Arrived with a scratch."]
    assert result["cons"][0]["examples"][0]["rating"] == 2


async def test_pros_and_cons_without_complaints(store: Store) -> None:
    result = await pros_and_cons(store, "AUD-100")
    assert result is not None
    assert result["cons"] == [] and result["pros"][0]["point"] == "Great sound and the battery lasts forever."


async def test_search_reviews_by_keyword(store: Store, seed_data: dict) -> None:
    everywhere = await search_reviews(store, "Battery")
    assert everywhere["total"] == sum("battery" in r["body"].lower() for r in seed_data["reviews"])
    assert len(everywhere["reviews"]) == 5
    one = await search_reviews(store, "batteries", sku="AUD-100")
    assert one["total"] == 3 and {r["sku"] for r in one["reviews"]} == {"AUD-100"}
    assert one["reviews"][0]["product"] == "Aurora ANC Over-Ear Headphones"
    assert (await search_reviews(store, "rain", sku="OUT-300"))["total"] == 0
    with pytest.raises(UnknownProductError):
        await search_reviews(store, "battery", sku="NOP-000")


async def test_compare_ratings(store: Store) -> None:
    compared = await compare_ratings(store, ["AUD-101", "AUD-100"])
    assert [(p["sku"], p["average_rating"]) for p in compared["products"]] == [("AUD-100", 4.3), ("AUD-101", 4.2)]
    assert compared["best_rated"]["sku"] == "AUD-100"
