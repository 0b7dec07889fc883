"""How the offline model names what the shopper refers to: loose product names, pronouns, orders by their items."""

from __future__ import annotations

import json
from typing import Annotated, Any

from agent_framework import tool
from pydantic import Field

from agents.models.offline.text import measure
from tests.models.fakes import BACK
from tests.models.support import calls, make_agent

_CATALOG = {"OFF-402": "UltraView 27-inch 4K Monitor", "OFF-403": "UltraView 34-inch Ultrawide"}
_SPEAKERS = {"sku": "AUD-105", "name": "Studio Monitor 5 Bookshelf Speakers"}


def _not_found(text: str) -> dict[str, Any]:
    """A lookup that finds nothing: the monitor whose size the text gives is suggested, with the speakers
    for a "monitor"."""
    suggestions = [{"sku": "OFF-402", "name": _CATALOG["OFF-402"]}] if "27" in text else []
    suggestions += [_SPEAKERS] if "monitor" in text else []
    return {"error": "not_found", "query": text, "suggestions": suggestions, "message": f"No product '{text}'."}


@tool
def compare_products(
    products: Annotated[list[str], Field(description="Two or three products, each a SKU or a product name")],
) -> dict[str, Any]:
    """Compare two or three products side by side: price, features and specifications."""
    for product in products:
        if product not in _CATALOG and product != "ultrawide":
            return _not_found(product)
    return {"products": [{"sku": sku, "name": name} for sku, name in _CATALOG.items()], "message": "Compared."}


@tool
def get_product_details(product: Annotated[str, Field(description="SKU or product name")]) -> dict[str, Any]:
    """Full details of one product: description, price and specifications."""
    if product not in _CATALOG:
        return _not_found(product)
    return {"sku": product, "name": _CATALOG[product], "message": f"{_CATALOG[product]} ({product})."}


def test_a_size_is_its_number_and_unit_however_written() -> None:
    assert measure("27in") == measure("27-inch") == measure("27inches") == ("27", "inch")
    assert measure("5.5L") == ("5.5", "litre")
    assert measure("4K") is None


async def test_a_loose_name_is_called_again_as_the_product_suggested_after_another_item_named_nothing() -> None:
    agent = make_agent([compare_products, BACK], name="product-discovery")
    response = await agent.run("torn between the 27in 4k screen and the ultrawide, what's the difference")
    made = [arguments["products"] for _, arguments in calls(response)]
    assert made[-1] == ["OFF-402", "ultrawide"]
    assert len(made) == len({json.dumps(m) for m in made})  # no call is made twice
    assert response.text == "Compared."


async def test_of_several_suggestions_the_one_of_the_size_written_is_taken() -> None:
    response = await make_agent([get_product_details, BACK], name="product-discovery").run("the 27in monitor specs")
    assert calls(response)[-1] == ("get_product_details", {"product": "OFF-402"})
