"""The shopper asks system tests send, what the test model does for each, and the seed's facts to expect.

The plans name the owner and the tool arguments, so a test of the mesh, the API or a specialist proves
what the product does with a model's decision, not which decision the offline model takes.
"""

from __future__ import annotations

from typing import Any

from specialists.store import Store, inventory, orders
from tests.support.schema_model import Ask, TestModel

PD, ORD, PRICE, REV, INV = (
    "product-discovery",
    "order-management",
    "pricing-promotions",
    "review-sentiment",
    "inventory-fulfillment",
)
TENT = "OUT-300"  # the TrailPeak 2 tent
HEADPHONES = "AUD-100"  # the Aurora ANC Over-Ear Headphones
ESPRESSO = "KIT-200"  # the AeroBrew Espresso Machine


def _stock(sku: str) -> Ask:
    return Ask(INV, {"check_stock": {"product": sku}})


def _shipping(region: str) -> Ask:
    return Ask(INV, {"estimate_shipping": {"product": TENT, "region": region}})


def _cancel(order_id: str) -> Ask:
    return Ask(ORD, {"cancel_order": {"order_id": order_id}})


SHOPPER_ASKS: dict[str, Ask] = {
    "Is the TrailPeak 2 tent in stock?": _stock(TENT),
    "Is OUT-300 in stock?": _stock(TENT),
    "Is the Ridge 45L Hiking Backpack in stock?": _stock("OUT-303"),
    "Can it ship to eu-central?": _shipping("eu-central"),
    "Can it ship to us-east?": _shipping("us-east"),
    "Can it ship to us-west?": _shipping("us-west"),
    "Do you have noise-cancelling headphones under $200?": Ask(
        PD, {"search_products": {"query": "noise-cancelling headphones", "max_price": 200}}
    ),
    "what's the price of the TrailPeak 2 tent?": Ask(PD, {"get_product_details": {"product": TENT}}),
    "Tell me more about the Aurora ANC Over-Ear Headphones": Ask(PD, {"get_product_details": {"product": HEADPHONES}}),
    "Is the coupon AUDIO25 valid for them?": Ask(
        PRICE, {"validate_coupon": {"code": "AUDIO25", "products": [HEADPHONES]}}
    ),
    "Where is my order ORD-1001?": Ask(ORD, {"track_order": {"order_id": "ORD-1001"}}),
    "show me order ORD-1001": Ask(ORD, {"get_order_details": {"order_id": "ORD-1001"}}),
    "show my orders": Ask(ORD, {"list_my_orders": {}}),
    "cancel ORD-1003": _cancel("ORD-1003"),
    "cancel order ORD-1003": _cancel("ORD-1003"),
    "cancel my order ORD-1003": _cancel("ORD-1003"),
    "cancel ORD-1001": _cancel("ORD-1001"),
    "any deals on headphones?": Ask(PRICE, {"list_active_deals": {"category": "audio"}}),
    "how is the AeroBrew Espresso Machine rated?": Ask(REV, {"get_rating_summary": {"product": ESPRESSO}}),
}


def shopper_model() -> TestModel:
    """The test model that plays every ask of `SHOPPER_ASKS`."""
    return TestModel(SHOPPER_ASKS)


async def stock_facts(store: Store, sku: str) -> list[str]:
    """What a true stock answer for `sku` states: the total and each warehouse holding some."""
    stock = await inventory.stock_levels(store, sku)
    assert stock is not None, sku
    return [str(stock["total"])] + [w["warehouse_id"] for w in stock["warehouses"] if w["quantity"]]


async def tracking_number(store: Store, customer_id: str, order_id: str) -> Any:
    """The tracking number the seed holds for the order."""
    tracked = await orders.track_order(store, customer_id, order_id)
    assert tracked is not None and tracked.get("shipment"), order_id
    return tracked["shipment"]["tracking_number"]
