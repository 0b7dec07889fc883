"""Tools of the product-discovery specialist: search, details, comparison and similar products."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from agent_framework import FunctionTool
from pydantic import Field

from specialists.store import Store
from specialists.store.catalog import Category, compare_products, search_products, similar_products
from specialists.store.results import ProductDetails
from specialists.tools.common import (
    ProductArg,
    ProductsArg,
    Result,
    label,
    lookup_product,
    lookup_products,
    plural,
    store_tool,
    usd,
)

QueryArg = Annotated[
    str | None, Field(description="Words for what the shopper is looking for, e.g. noise-cancelling headphones")
]
CategoryArg = Annotated[Category | None, Field(description="Only products of this category, e.g. outdoor")]
MinPriceArg = Annotated[float | None, Field(description="Lowest price in USD, e.g. 50")]
MaxPriceArg = Annotated[float | None, Field(description="Highest price in USD, e.g. 200")]
AttributeArg = Annotated[
    str | None, Field(description="A feature the product must have, e.g. noise_cancelling, or a feature=value pair")
]

SEARCH_LIMIT = 5
SIMILAR_LIMIT = 3


def _listing(products: Sequence[ProductDetails]) -> str:
    return "; ".join(f"{label(p)}, {usd(p['price'])}" for p in products)


# A feature's unit, written after its value ("weight_kg": 1.6 is "weight: 1.6 kg").
_UNITS = {"kg": "kg", "g": "g", "l": "L", "in": "in", "cm": "cm", "mm": "mm", "w": "W", "hz": "Hz", "c": "°C"}
_UNITS |= {"hours": "hours", "days": "days", "bar": "bar", "ohm": "ohm", "people": "people", "each": "each"}


def _feature(key: str, value: object) -> str:
    """ "noise cancelling", "no GPS", "battery: 40 hours" or "weight: 1.6 kg", as a person lists features."""
    parts = key.split("_")
    units: list[str] = []
    while len(parts) > 1 and parts[-1] in _UNITS and not isinstance(value, bool | list):
        units.insert(0, _UNITS[parts.pop()])
    name = " ".join(parts)
    if isinstance(value, bool):
        return name if value else f"no {name}"
    if isinstance(value, list):
        return f"{name}: {', '.join(str(v) for v in value)}"
    return f"{name}: {' '.join([str(value), *units]).replace(' °', '°')}"


def _described(product: ProductDetails) -> str:
    """The product's description and its features."""
    features = ", ".join(_feature(k, v) for k, v in product["attributes"].items())
    return f"{product['description']} Features: {features}." if features else product["description"]


def build_tools(store: Store) -> list[FunctionTool]:
    """The product-discovery tools over `store`."""

    async def find_products(
        query: QueryArg = None,
        category: CategoryArg = None,
        min_price: MinPriceArg = None,
        max_price: MaxPriceArg = None,
        attribute: AttributeArg = None,
    ) -> Result:
        products = await search_products(
            store,
            query,
            category=category,
            min_price=min_price,
            max_price=max_price,
            attribute=attribute,
            limit=SEARCH_LIMIT,
        )
        asked = dict(query=query, category=category, min_price=min_price, max_price=max_price, attribute=attribute)
        criteria = {k: v for k, v in asked.items() if v is not None}
        if not products:
            message = "No products match that search; try fewer words or a wider price range."
        elif len(products) == 1:
            message = f"Found 1 product: {_listing(products)}: {_described(products[0])}"
        else:
            message = f"Found {plural(len(products), 'product')}: {_listing(products)}."
        return {"count": len(products), "products": products, "criteria": criteria, "message": message}

    async def product_details(product: ProductArg) -> Result:
        found = await lookup_product(store, product)
        return {**found, "message": f"{label(found)} by {found['brand']}, {usd(found['price'])}: {_described(found)}"}

    async def compare(products: ProductsArg) -> Result:
        found = await lookup_products(store, products)
        compared = await compare_products(store, [p["sku"] for p in found])
        cheapest = compared["cheapest"]
        message = f"{_listing(compared['products'])}. The cheapest is {label(cheapest)}"
        if compared["price_spread"]:
            message += f", {usd(compared['price_spread'])} less than the most expensive"
        return {**compared, "message": message + "."}

    async def similar(product: ProductArg) -> Result:
        found = await lookup_product(store, product)
        alternatives = await similar_products(store, found["sku"], SIMILAR_LIMIT) or []
        message = (
            f"Similar to {label(found)} ({usd(found['price'])}): {_listing(alternatives)}."
            if alternatives
            else f"I found nothing similar to {label(found)}."
        )
        return {"product": found, "similar": alternatives, "message": message}

    return [
        store_tool(
            find_products,
            name="search_products",
            description=(
                "Search the catalog for products by need, name, brand, feature, category or price range; returns "
                "up to five matches, best first, with SKU, name, price and features (none found: try fewer or "
                "broader words). Not for stock, delivery, orders, coupons or reviews."
            ),
        ),
        store_tool(
            product_details,
            name="get_product_details",
            description=(
                "Tell about one product: its details and specifications, price, brand, description and features."
            ),
        ),
        store_tool(
            compare,
            name="compare_products",
            description="Compare two or three products side by side: prices, features and specifications.",
        ),
        store_tool(
            similar,
            name="find_similar_products",
            description=(
                "Recommend similar products or alternatives to a product, in the same category at a close price."
            ),
        ),
    ]
