"""Tool fixtures: every specialist's tools over one seeded SQLite store, called as a given shopper.

Tests run in the session's event loop (see `pytestmark` in each module); tests that change data use
`fresh_store`, which reloads the seed afterwards.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
from agent_framework import FunctionTool

from agents.run_context import running
from specialists.run_context import SpecialistRunContext
from specialists.store import Store, open_store
from specialists.store.seed import load_seed_data, reload_seed
from specialists.tools import (
    inventory_fulfillment,
    order_management,
    pricing_promotions,
    product_discovery,
    review_sentiment,
)

Call = Callable[..., Awaitable[dict[str, Any]]]

TOOL_MODULES = {
    "product-discovery": product_discovery,
    "order-management": order_management,
    "pricing-promotions": pricing_promotions,
    "review-sentiment": review_sentiment,
    "inventory-fulfillment": inventory_fulfillment,
}
"""Each specialist's tool module, by agent name."""


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def store(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Store]:
    """A seeded SQLite store shared by the tool tests."""
    opened = await open_store(f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('tools') / 'store.db'}")
    yield opened
    await opened.close()


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_store(store: Store) -> AsyncIterator[Store]:
    """The shared store for a test that changes it; the seed is reloaded afterwards."""
    yield store
    await reload_seed(store.engine, load_seed_data())


@pytest.fixture(scope="session")
def tools_by_specialist(store: Store) -> dict[str, list[FunctionTool]]:
    """Each specialist's tools, by agent name."""
    return {name: module.build_tools(store) for name, module in TOOL_MODULES.items()}


@pytest.fixture(scope="session")
def tools(tools_by_specialist: dict[str, list[FunctionTool]]) -> dict[str, FunctionTool]:
    """Every specialist's tools, by tool name."""
    return {t.name: t for specialist_tools in tools_by_specialist.values() for t in specialist_tools}


@pytest.fixture(scope="session")
def call(tools: dict[str, FunctionTool]) -> Call:
    """`await call(tool_name, customer_id, **arguments)`: invoke a tool as that shopper (None: anonymous).

    Goes through `FunctionTool.invoke` and parses the JSON text the model would read.
    """

    async def invoke(name: str, customer_id: str | None = None, **arguments: Any) -> dict[str, Any]:
        with running(SpecialistRunContext(customer_id=customer_id)):
            contents = await tools[name].invoke(arguments=arguments)
        assert len(contents) == 1
        return json.loads(contents[0].text)

    return invoke
