"""What the specialists' tools share: argument types, product lookup, the shopper's identity and error results.

A tool body raises `ToolError` to answer with an error result (unknown product, sign-in required, ...);
`store_tool` turns it into the tool's return value, so every tool returns a JSON-serialisable dict. A
result that asks for the shopper's yes proposes its `action` to the request's run, which keeps it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from agent_framework import FunctionTool, tool
from pydantic import Field

from agents.errors import EcommerceAgentsError
from agents.run_context import current_customer_id
from specialists.run_context import current_specialist_run
from specialists.store import Store
from specialists.store.catalog import find_product, suggest_products
from specialists.store.results import Named, ProductDetails

Result = dict[str, object]
"""What a tool answers: a JSON object, the store's facts (see `specialists.store.results`) and a `message`."""

ProductArg = Annotated[
    str, Field(description="The product: its SKU, e.g. OUT-300, or its name as the shopper wrote it")
]
ProductsArg = Annotated[
    list[str], Field(description="Two or three different products, each a SKU, e.g. AUD-100, or a product name")
]
_CART = (
    "The products in the cart, each a SKU, e.g. OUT-300, a product name or a bundle's name (its items); "
    "2 x OUT-300 for two units"
)
CartArg = Annotated[list[str], Field(description=_CART)]
OptionalCartArg = Annotated[
    list[str] | None, Field(description=f"{_CART}. Omit it to get the code's terms and conditions")
]

_QUANTITY = re.compile(r"^\s*(\d+)\s*[x×*]\s+(.+?)\s*$|^\s*(.+?)\s+[x×*]\s*(\d+)\s*$", re.IGNORECASE)


class ToolError(EcommerceAgentsError):
    """Ends a tool call with `result` as its answer."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.get("message", "tool error"))
        self.result = result


def failure(kind: str, message: str, **facts: object) -> ToolError:
    """A `ToolError` answering `{"error": kind, "message": message, **facts}`."""
    return ToolError({"error": kind, "message": message, **facts})


def store_tool(func: Callable[..., Awaitable[Result]], *, name: str, description: str) -> FunctionTool:
    """A MAF tool for `func` whose `ToolError`s become its result."""

    @functools.wraps(func)
    async def answer(**arguments: object) -> Result:
        try:
            result = await func(**arguments)
        except ToolError as error:
            return error.result
        _propose_action(result)
        return result

    return tool(answer, name=name, description=description)


def _propose_action(result: Result) -> None:
    """A result that waits for the shopper's yes (`confirmation_required`, with the `action`) proposes it to the run."""
    action, run = result.get("action"), current_specialist_run()
    if run is not None and result.get("confirmation_required") and isinstance(action, dict):
        run.proposed_action = dict(action)


def usd(amount: float) -> str:
    """`$1,234.50`."""
    return f"${amount:,.2f}"


def plural(count: int, noun: str) -> str:
    """`1 review`, `3 reviews`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def label(product: Named) -> str:
    """`TrailPeak 2 Backpacking Tent (OUT-300)`."""
    return f"{product['name']} ({product['sku']})"


def signed_in_customer(message: str) -> str:
    """The shopper of this request; `ToolError` sign_in_required with `message` when anonymous."""
    customer_id = current_customer_id()
    if customer_id is None:
        raise failure("sign_in_required", message)
    return customer_id


async def lookup_product(store: Store, text: str) -> ProductDetails:
    """The product `text` names; `ToolError` not_found with close suggestions otherwise."""
    product = await find_product(store, text)
    if product is None:
        suggestions = await suggest_products(store, text)
        hint = f" Did you mean {', '.join(label(p) for p in suggestions)}?" if suggestions else ""
        raise failure(
            "not_found", f"I couldn't find a product matching '{text}'.{hint}", query=text, suggestions=suggestions
        )
    return product


async def lookup_products(store: Store, texts: Sequence[str]) -> list[ProductDetails]:
    """The two or three distinct products `texts` name."""
    products = list({p["sku"]: p for p in [await lookup_product(store, t) for t in texts]}.values())
    if not 2 <= len(products) <= 3:
        raise failure("invalid_request", "Please name two or three different products.", products=products)
    return products


async def lookup_cart(store: Store, entries: Sequence[str]) -> dict[str, int]:
    """The cart `entries` describe ("2 x OUT-300", "aurora pro") as SKU -> quantity."""
    if not entries:
        raise failure("invalid_request", "Please name at least one product for the cart.")
    cart: dict[str, int] = {}
    for entry in entries:
        quantity, text = _split_quantity(entry)
        sku = (await lookup_product(store, text))["sku"]
        cart[sku] = cart.get(sku, 0) + quantity
    return cart


def _split_quantity(entry: str) -> tuple[int, str]:
    found = _QUANTITY.match(entry)
    if not found:
        return 1, entry
    count, text = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    if int(count) < 1:
        raise failure("invalid_request", f"The quantity in '{entry}' must be at least 1.")
    return int(count), text
