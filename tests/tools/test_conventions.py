"""The tools are declared the way a model reads them: stable names, short descriptions and JSON schemas."""

from __future__ import annotations

import re

from agent_framework import FunctionTool

from agents.definitions import SPECIALIST_NAMES

EXPECTED_NAMES = {
    "product-discovery": {"search_products", "get_product_details", "compare_products", "find_similar_products"},
    "order-management": {"list_my_orders", "get_order_details", "track_order", "cancel_order"},
    "pricing-promotions": {
        "validate_coupon",
        "list_active_deals",
        "check_bundle_eligibility",
        "best_price_for_cart",
        "list_loyalty_tiers",
    },
    "review-sentiment": {
        "get_rating_summary",
        "get_pros_and_cons",
        "search_reviews",
        "compare_ratings",
        "rank_by_rating",
    },
    "inventory-fulfillment": {"check_stock", "get_next_restock", "estimate_shipping", "list_carriers"},
}


def test_one_tool_module_per_specialist(tools_by_specialist: dict[str, list[FunctionTool]]) -> None:
    assert tuple(tools_by_specialist) == SPECIALIST_NAMES


def test_tool_names(tools_by_specialist: dict[str, list[FunctionTool]]) -> None:
    assert {name: {t.name for t in tools} for name, tools in tools_by_specialist.items()} == EXPECTED_NAMES
    for tools in tools_by_specialist.values():
        assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", t.name) for t in tools)


def test_tools_and_parameters_are_described(tools_by_specialist: dict[str, list[FunctionTool]]) -> None:
    """A model picks a tool by its description (what it does, what it returns, what it is not for) and fills
    each argument from the parameter's description, so both are there and short enough to read."""
    for tools in tools_by_specialist.values():
        for t in tools:
            assert 1 <= len(re.findall(r"[.?!](\s|$)", t.description)) <= 3, t.description
            assert len(t.description) <= 400, t.description
            for name, spec in t.parameters()["properties"].items():
                assert spec.get("description"), f"{t.name}.{name}"


def test_identifiers_show_their_format(tools_by_specialist: dict[str, list[FunctionTool]]) -> None:
    """An identifier parameter shows an example of its format, which a model copies."""
    formats = {"product": "OUT-300", "products": "-", "order_id": "ORD-1001", "code": "TRAIL20"}
    for tools in tools_by_specialist.values():
        for t in tools:
            for name, spec in t.parameters()["properties"].items():
                if name in formats:
                    assert "e.g. " in spec["description"], f"{t.name}.{name}"
                    assert formats[name] in spec["description"], f"{t.name}.{name}"


def test_optional_parameters_are_optional_and_enums_are_declared(
    tools_by_specialist: dict[str, list[FunctionTool]],
) -> None:
    tools = {t.name: t.parameters() for ts in tools_by_specialist.values() for t in ts}
    assert tools["search_products"].get("required", []) == []
    assert tools["search_reviews"]["required"] == ["keyword"]
    assert tools["estimate_shipping"]["required"] == ["product"]
    category = tools["search_products"]["properties"]["category"]["anyOf"][0]["enum"]
    assert category == ["apparel", "audio", "home-office", "kitchen", "outdoor", "wearables"]
    assert tools["list_carriers"]["properties"]["to_region"]["enum"] == [
        "us-east",
        "us-central",
        "us-west",
        "eu-central",
    ]
    assert "shipped" in tools["list_my_orders"]["properties"]["status"]["anyOf"][0]["enum"]
    assert tools["validate_coupon"]["required"] == ["code"]
    for order_tool in ("list_my_orders", "get_order_details", "track_order", "cancel_order"):
        assert "customer_id" not in tools[order_tool]["properties"]
