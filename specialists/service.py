"""One specialist service: its definition, its tools over the store, the model, served over A2A."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agent_framework import FunctionTool, SupportsChatGetResponse
from fastapi import FastAPI

from agents.definitions import SPECIALIST_NAMES, get_definition
from agents.models import build_chat_client
from agents.settings import Settings
from specialists.host.app import build_specialist_agent, create_specialist_app
from specialists.host.confirmations import ActionHandler
from specialists.host.sessions import SessionStore
from specialists.store.database import Store
from specialists.tools import (
    inventory_fulfillment,
    order_management,
    pricing_promotions,
    product_discovery,
    review_sentiment,
)

TOOLSETS: dict[str, Callable[[Store], list[FunctionTool]]] = {
    "product-discovery": product_discovery.build_tools,
    "order-management": order_management.build_tools,
    "pricing-promotions": pricing_promotions.build_tools,
    "review-sentiment": review_sentiment.build_tools,
    "inventory-fulfillment": inventory_fulfillment.build_tools,
}


def confirmed_actions(store: Store) -> dict[str, ActionHandler]:
    """What a shopper's explicit yes may carry out, by action type."""

    async def cancel(customer_id: str | None, action: Mapping[str, Any]) -> dict[str, Any]:
        if customer_id is None:
            return {"message": "Please sign in to cancel an order."}
        return await order_management.confirm_cancel_order(store, customer_id, str(action.get("order_id")))

    return {"cancel_order": cancel}


async def build_specialist_app(
    name: str,
    settings: Settings,
    store: Store,
    *,
    base_url: str,
    chat_client: SupportsChatGetResponse | None = None,
    grpc_bind: str | None = None,
) -> FastAPI:
    """Assemble the A2A app of specialist `name` over an open store; with `grpc_bind` (`host:port`) it also
    serves the gRPC binding there, advertised at the configured `<NAME>_GRPC_URL`."""
    if name not in SPECIALIST_NAMES:
        raise ValueError(f"unknown specialist {name!r}; choose one of: {', '.join(SPECIALIST_NAMES)}")
    definition = get_definition(name)
    sessions = SessionStore(
        store.engine,
        name,
        max_messages=settings.session_max_messages,
        max_chars=settings.session_max_chars,
        max_tokens=settings.agent_window_tokens,
    )
    agent = build_specialist_agent(definition, chat_client or build_chat_client(settings), TOOLSETS[name](store))
    actions = confirmed_actions(store) if name == "order-management" else None
    return create_specialist_app(
        definition,
        agent,
        sessions,
        settings,
        base_url=base_url,
        actions=actions,
        grpc_url=settings.specialist_grpc_urls().get(name),
        grpc_bind=grpc_bind,
    )
