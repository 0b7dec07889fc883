"""Tools of the inventory-fulfillment specialist: stock, restocks, shipping estimates and carriers."""

from __future__ import annotations

from typing import Annotated

from agent_framework import FunctionTool
from pydantic import Field

from agents.run_context import current_customer_id
from specialists.store import Store, inventory
from specialists.store.inventory import Region
from specialists.store.results import Restocks, ShippingEstimate, ShippingOption, StockLevels
from specialists.tools.common import ProductArg, Result, failure, label, lookup_product, plural, store_tool, usd

RegionArg = Annotated[
    Region | None, Field(description="Destination region, e.g. us-east; omit for the signed-in shopper's own region")
]
FromRegionArg = Annotated[Region, Field(description="Region shipped from, e.g. us-east")]
ToRegionArg = Annotated[Region, Field(description="Region shipped to, e.g. us-west")]
QuantityArg = Annotated[int, Field(description="Number of units, e.g. 1", ge=1)]


def _option(option: ShippingOption) -> str:
    return (
        f"{option['carrier']} {option['service']} for {usd(option['cost'])}, arriving by "
        f"{option['estimated_delivery']} ({plural(option['days'], 'day')})"
    )


def _stock_message(stock: StockLevels) -> str:
    holding = [w for w in stock["warehouses"] if w["quantity"]]
    if not holding:
        restock = stock.get("next_restock")
        later = (
            f"; the next restock ({restock['quantity']} units at {restock['warehouse_id']}) is expected "
            f"{restock['expected_date']}"
            if restock
            else ", with no restock scheduled"
        )
        return f"{label(stock)} is out of stock in every warehouse{later}."
    where = ": " + ", ".join(f"{w['quantity']} at {w['warehouse_id']} ({w['location']})" for w in holding)
    if len(holding) == 1:
        where = f", all at {holding[0]['warehouse_id']} ({holding[0]['location']})"
    return f"{label(stock)} has {stock['total']} in stock{where}."


def _restock_message(restock: Restocks) -> str:
    now = f"{restock['in_stock_now']} in stock now" if restock["in_stock_now"] else "out of stock now"
    upcoming = restock["next"]
    if upcoming is None:
        return f"{label(restock)} is {now}, with no restock scheduled."
    return (
        f"{label(restock)} is {now}; next restock: {upcoming['quantity']} units at {upcoming['warehouse_id']} "
        f"({upcoming['location']}) expected {upcoming['expected_date']}."
    )


def _estimate_message(estimate: ShippingEstimate) -> str:
    units = f"{estimate['quantity']} x {label(estimate)}"
    if not estimate["in_stock"]:
        restock = estimate["next_restock"]
        later = f" The next restock is expected {restock['expected_date']}." if restock else ""
        return f"No warehouse has {units} in stock to ship to {estimate['to_region']}.{later}"
    cheapest, fastest = estimate["cheapest"], estimate["fastest"]
    if cheapest is None or fastest is None:  # in stock, but no carrier serves the route
        return f"No carrier ships {units} to {estimate['to_region']} from the warehouses that have it."
    origin = f"{cheapest['from_warehouse']} ({cheapest['from_location']})"
    message = (
        f"{label(estimate)} ships to {estimate['to_region']} from {origin}: the cheapest option is {_option(cheapest)}"
    )
    if fastest != cheapest:
        via = "" if fastest["from_warehouse"] == cheapest["from_warehouse"] else f" from {fastest['from_warehouse']}"
        message += f"; the fastest is {_option(fastest)}{via}"
    return message + "."


def build_tools(store: Store) -> list[FunctionTool]:
    """The inventory-fulfillment tools over `store`."""

    async def check_stock(product: ProductArg) -> Result:
        found = await lookup_product(store, product)
        stock = await inventory.stock_levels(store, found["sku"])
        assert stock is not None  # the product was just found
        return {**stock, "message": _stock_message(stock)}

    async def get_next_restock(product: ProductArg) -> Result:
        found = await lookup_product(store, product)
        restock = await inventory.next_restocks(store, found["sku"])
        assert restock is not None  # the product was just found
        return {**restock, "message": _restock_message(restock)}

    async def estimate_shipping(product: ProductArg, region: RegionArg = None, quantity: QuantityArg = 1) -> Result:
        found = await lookup_product(store, product)
        destination: str | None = region
        if destination is None:
            customer_id = current_customer_id()
            destination = await inventory.customer_region(store, customer_id) if customer_id else None
        if destination is None:
            raise failure(
                "invalid_request",
                f"Which region should {found['name']} ship to? One of {', '.join(inventory.REGIONS)}.",
                regions=list(inventory.REGIONS),
            )
        estimate = await inventory.shipping_estimate(store, found["sku"], destination, quantity)
        assert estimate is not None  # the product was just found
        return {**estimate, "message": _estimate_message(estimate)}

    async def list_carriers(from_region: FromRegionArg, to_region: ToRegionArg) -> Result:
        result = await inventory.carriers_between(store, from_region, to_region)
        services = "; ".join(
            f"{o['carrier']} {o['service']} {usd(o['cost'])}, {plural(o['days'], 'day')}" for o in result["options"]
        )
        message = f"From {from_region} to {to_region}: {services}." if services else "No carrier serves that route."
        return {**result, "message": message}

    return [
        store_tool(
            check_stock,
            name="check_stock",
            description=(
                "Is a product in stock or available: units per warehouse and in total (for a product out of "
                "stock, also when more is expected)."
            ),
        ),
        store_tool(
            get_next_restock,
            name="get_next_restock",
            description="When a product is back in stock: the next expected restock date, warehouse and units.",
        ),
        store_tool(
            estimate_shipping,
            name="estimate_shipping",
            description=(
                "Shipping and delivery estimate for a product to a region (the signed-in shopper's own region "
                "when none is given): the cheapest and fastest option, cost, days, delivery date and the "
                "warehouse it ships from."
            ),
        ),
        store_tool(
            list_carriers,
            name="list_carriers",
            description="Carriers and shipping services between two regions, with cost and delivery days.",
        ),
    ]
