"""Product-discovery tools, called through FunctionTool.invoke."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_search_products(call: Any) -> None:
    result = await call("search_products", query="noise cancelling headphones", max_price=200)
    assert [p["sku"] for p in result["products"]] == ["AUD-100"]
    assert result["message"] == (
        "Found 1 product: Aurora ANC Over-Ear Headphones (AUD-100), $179.00: Active noise-cancelling over-ear "
        "headphones with 40-hour battery and multipoint Bluetooth 5.3. Features: battery: 40 hours, noise "
        "cancelling, wireless, weight: 254 g."
    )
    by_feature = await call("search_products", attribute="noise-cancelling", category="audio")
    assert [p["sku"] for p in by_feature["products"]] == ["AUD-103", "AUD-100", "AUD-101"]
    nothing = await call("search_products", query="coffee")
    assert nothing["count"] == 0 and "No products" in nothing["message"]


async def test_a_search_word_made_of_a_product_names_word_and_another_word_finds_it(call: Any) -> None:
    # "campsite" holds the Camp Stove's "camp"; "camping" holds no second word, "backpack" no word of a name
    assert [p["sku"] for p in (await call("search_products", query="cook campsite"))["products"]] == ["OUT-308"]
    assert (await call("search_products", query="winter camping"))["count"] == 0
    assert "AUD-106" not in [p["sku"] for p in (await call("search_products", query="backpack"))["products"]]


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("the trailpeak 2 tent", "OUT-300"),
        ("aurora pro", "AUD-101"),
        ("AeroBrew grinder", "KIT-201"),
        ("out-300", "OUT-300"),
    ],
)
async def test_get_product_details_resolves_names(call: Any, text: str, sku: str) -> None:
    result = await call("get_product_details", product=text)
    assert result["sku"] == sku
    assert result["message"].startswith(f"{result['name']} ({sku}) by {result['brand']}, $")


async def test_unknown_product(call: Any) -> None:
    result = await call("get_product_details", product="xyz")
    assert result == {
        "error": "not_found",
        "message": "I couldn't find a product matching 'xyz'.",
        "query": "xyz",
        "suggestions": [],
    }
    near = await call("get_product_details", product="sony headphones")
    assert near["error"] == "not_found" and "AUD-106" in [s["sku"] for s in near["suggestions"]]
    assert "Did you mean" in near["message"]


async def test_compare_products(call: Any) -> None:
    result = await call("compare_products", products=["AUD-100", "aurora pro"])
    assert [p["sku"] for p in result["products"]] == ["AUD-100", "AUD-101"]
    assert result["cheapest"]["sku"] == "AUD-100" and result["price_spread"] == 120.0
    assert "$120.00 less" in result["message"]
    one = await call("compare_products", products=["AUD-100", "aud-100"])
    assert one["error"] == "invalid_request"


async def test_find_similar_products(call: Any) -> None:
    result = await call("find_similar_products", product="TrailPeak 2 tent")
    assert result["product"]["sku"] == "OUT-300"
    assert [p["sku"] for p in result["similar"]] == ["OUT-301", "OUT-302", "OUT-303"]
    assert result["message"].startswith("Similar to TrailPeak 2 Backpacking Tent (OUT-300)")


async def test_features_say_their_units_after_the_value(call: Any) -> None:
    bag = await call("get_product_details", product="OUT-302")
    assert bag["message"].endswith("Features: comfort: -5°C, weight: 0.9 kg.")
    poles = await call("get_product_details", product="OUT-305")
    assert poles["message"].endswith("Features: weight: 210 g each.")
