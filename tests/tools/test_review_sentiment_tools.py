"""Review tools, called through FunctionTool.invoke."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_get_rating_summary(call: Any) -> None:
    result = await call("get_rating_summary", product="Aurora headphones")
    assert (result["sku"], result["average_rating"], result["review_count"]) == ("AUD-100", 4.3, 10)
    assert result["message"] == (
        "Aurora ANC Over-Ear Headphones (AUD-100) is rated 4.30 out of 5 from 10 reviews (4 x 5★, 5 x 4★, 1 x 3★)."
    )


async def test_get_pros_and_cons(call: Any) -> None:
    result = await call("get_pros_and_cons", product="ErgoDesk standing desk")
    assert result["pros"][0]["point"] == "Build quality is excellent."
    assert [c["point"] for c in result["cons"]] == ["Arrived with a scratch."]
    assert 'Pros: "Build quality is excellent." (3 reviews)' in result["message"]
    assert 'Cons: "Arrived with a scratch." (1 review)' in result["message"]


async def test_search_reviews(call: Any) -> None:
    scoped = await call("search_reviews", keyword="battery", product="AUD-100")
    assert scoped["total"] == 3 and scoped["sku"] == "AUD-100"
    assert scoped["message"].startswith("3 reviews of Aurora ANC Over-Ear Headphones (AUD-100) mention 'battery'")
    assert (await call("search_reviews", keyword="rain"))["message"] == "No reviews mention 'rain'."


async def test_compare_ratings(call: Any) -> None:
    result = await call("compare_ratings", products=["aurora pro", "AUD-100"])
    assert result["best_rated"]["sku"] == "AUD-100"
    assert result["message"].endswith("Best rated: Aurora ANC Over-Ear Headphones (AUD-100).")


async def test_rank_by_rating(call: Any) -> None:
    backpacks = await call("rank_by_rating", kind="backpack")
    assert [p["sku"] for p in backpacks["products"]] == ["OUT-303"]  # not the "Backpacking Tent"
    assert backpacks["message"] == "Ridge 45L Hiking Backpack (OUT-303) is rated 4.11 out of 5 from 9 reviews."
    tents = await call("rank_by_rating", kind="tents")
    assert [p["sku"] for p in tents["products"]] == ["OUT-300", "OUT-301"]
    assert tents["message"].endswith("Best rated: TrailPeak 2 Backpacking Tent (OUT-300).")
    outdoor = await call("rank_by_rating", kind="outdoor")
    assert outdoor["best_rated"]["average_rating"] == max(p["average_rating"] for p in outdoor["products"])
    assert (await call("rank_by_rating", kind="hovercraft"))["error"] == "not_found"
