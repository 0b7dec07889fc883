"""Small fake store tools written the way the specialists' tools are: typed, described, JSON results."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from agent_framework import FunctionTool, tool
from pydantic import Field

from agents.definitions import ORCHESTRATOR, SPECIALISTS, AgentDefinition

Product = Annotated[str, Field(description="SKU or product name, e.g. OUT-300")]
Region = Literal["us-east", "us-central", "us-west", "eu-central"]
Category = Literal["audio", "kitchen", "outdoor", "home-office", "wearables", "apparel"]

TENT = {"sku": "OUT-300", "name": "TrailPeak 2 Backpacking Tent"}


@tool
def check_stock(product: Product) -> dict[str, Any]:
    """Units in stock per warehouse for one product. Not for orders already placed."""
    return {
        **TENT,
        "in_stock": True,
        "total_quantity": 42,
        "warehouses": [
            {"warehouse_id": "WH-EAST", "location": "Newark, NJ", "quantity": 30},
            {"warehouse_id": "WH-EU", "location": "Frankfurt", "quantity": 12},
        ],
    }


@tool
def estimate_shipping(
    product: Product, region: Annotated[Region, Field(description="Destination region")]
) -> dict[str, Any]:
    """Shipping and delivery estimate of a product to a region: cheapest and fastest option."""
    return {
        **TENT,
        "region": region,
        "cheapest": {"carrier": "ParcelPost", "service": "standard", "cost": 5.99, "days": 5},
        "fastest": {"carrier": "SkyExpress", "service": "overnight", "cost": 24.5, "days": 1},
    }


@tool
def next_restock(product: Product) -> dict[str, Any]:
    """When a product is expected back in stock: the next restock date and quantity."""
    return {"sku": "KIT-200", "name": "AeroBrew Espresso Machine", "expected_date": "2026-12-05", "quantity": 20}


@tool
def track_order(order_id: Annotated[str, Field(description="Order id, e.g. ORD-1001")]) -> dict[str, Any]:
    """Track my order or package: where is it, carrier, tracking number and delivery estimate."""
    return {
        "order_id": order_id,
        "status": "shipped",
        "shipment": {"carrier": "ParcelPost", "tracking_number": "PA1001347044", "estimated_delivery": "2026-11-21"},
    }


@tool
def list_orders(
    status: Annotated[
        Literal["placed", "processing", "shipped", "delivered", "cancelled"] | None,
        Field(description="Only orders with this status"),
    ] = None,
) -> list[dict[str, Any]]:
    """List the shopper's own orders, newest first."""
    return [{"order_id": "ORD-1001", "status": status or "shipped", "total": 253.99}]


@tool
def cancel_order(order_id: Annotated[str, Field(description="Order id, e.g. ORD-1001")]) -> dict[str, Any]:
    """Cancel my order if it is still placed or processing."""
    return {"order_id": order_id, "message": f"Please confirm: cancel {order_id}?"}


@tool
def search_products(
    query: Annotated[str, Field(description="What the shopper is looking for, e.g. noise-cancelling headphones")],
    category: Annotated[Category | None, Field(description="Catalog category")] = None,
    max_price: Annotated[float | None, Field(description="Highest price in USD")] = None,
) -> dict[str, Any]:
    """Search the product catalog by text, category and price. Not for stock levels, orders, coupons or reviews."""
    return {"results": [{"sku": "AUD-100", "name": "Aurora ANC Over-Ear Headphones", "price": 179.0}], "count": 1}


@tool
def compare_products(
    products: Annotated[list[str], Field(description="Two or three SKUs or product names")],
) -> dict[str, Any]:
    """Compare products side by side: price and specifications."""
    return {
        "products": [
            {"sku": "AUD-100", "name": "Aurora ANC Over-Ear Headphones", "price": 179.0},
            {"sku": "AUD-101", "name": "Aurora Pro ANC Headphones", "price": 249.0},
        ]
    }


@tool
def validate_coupon(
    code: Annotated[str, Field(description="Coupon code, e.g. TRAIL20")],
    product: Annotated[str | None, Field(description="SKU or product name, e.g. OUT-300")] = None,
) -> dict[str, Any]:
    """Check whether a coupon or discount code is valid and how much it saves."""
    return {"code": code, "valid": True, "message": f"{code} is valid: 20% off outdoor gear over $150.", "saving": 69.8}


@tool
def rating_summary(product: Product) -> dict[str, Any]:
    """How a product is rated: average star rating and number of reviews."""
    return {"sku": "KIT-200", "name": "AeroBrew Espresso Machine", "average_rating": 4.4, "review_count": 12}


@tool
def pros_and_cons(product: Product) -> dict[str, Any]:
    """What customers say about a product: pros and cons, praise and complaints."""
    return {"sku": "KIT-200", "name": "AeroBrew Espresso Machine", "pros": ["rich crema"], "cons": ["loud pump"]}


@tool
def search_reviews(
    keyword: Annotated[str, Field(description="Word or topic the reviews mention, e.g. battery")],
    product: Annotated[str | None, Field(description="Only reviews of this SKU or product name, e.g. OUT-300")] = None,
) -> dict[str, Any]:
    """Find reviews that mention a topic or keyword, for one product or all products."""
    return {"reviews": [{"review_id": "REV-0042", "rating": 5, "title": "Dry all night"}]}


def handoff_tool(definition: AgentDefinition) -> FunctionTool:
    """A `handoff_to_<name>` tool as the handoff builder makes it: the agent's description, no parameters."""

    @tool(name=f"handoff_to_{definition.name}", description=definition.description, approval_mode="never_require")
    def handoff() -> None:
        """Intercepted by the handoff middleware (`StopAtHandoff` in these tests): the body never runs."""

    return handoff


ROUTES = [handoff_tool(d) for d in SPECIALISTS]
BACK = handoff_tool(ORCHESTRATOR)
TOOLSETS: dict[str, list[FunctionTool]] = {
    "inventory-fulfillment": [check_stock, estimate_shipping, next_restock],
    "order-management": [track_order, list_orders, cancel_order],
    "product-discovery": [search_products, compare_products],
    "pricing-promotions": [validate_coupon],
    "review-sentiment": [rating_summary, pros_and_cons, search_reviews],
}
