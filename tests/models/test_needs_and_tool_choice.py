"""The offline model's reading of needs that name no product and of what an ask wants a tool to return
(issue 12, round seven)."""

from __future__ import annotations

from typing import Annotated, Any

from agent_framework import tool
from pydantic import Field

from agents.models.offline.arguments import extract_arguments
from agents.models.offline.conversation import Step
from agents.models.offline.planning import retry_query
from agents.models.offline.profiles import profiles_of
from agents.models.offline.references import points_back
from agents.models.offline.superlative import pick_by_figure
from tests.models.fakes import Region, rating_summary, search_reviews
from tests.models.support import calls, make_agent


@tool
def find_products(
    query: Annotated[str | None, Field(description="Words for what the shopper wants, e.g. headphones")] = None,
) -> dict[str, Any]:
    """Search the catalog for products by need, name or feature."""
    return {"products": [], "count": 0}


@tool
def list_carriers(
    from_region: Annotated[Region, Field(description="Region shipped from, e.g. us-east")],
    to_region: Annotated[Region, Field(description="Region shipped to, e.g. us-west")],
) -> dict[str, Any]:
    """Carriers and shipping services between two regions, with cost and delivery days."""
    return {"options": []}


@tool
def next_restock(product: Annotated[str, Field(description="SKU or product name, e.g. OUT-300")]) -> dict[str, Any]:
    """When a product is back in stock: the next restock date and warehouse."""
    return {}


async def test_a_need_naming_no_product_is_searched_for_not_asked_of_one() -> None:
    agent = make_agent([rating_summary, find_products])
    for ask in (
        "need a bday present for my dad, he's obsessed with pour over coffee",
        "which noise cancelling headphones last the longest on one charge",
    ):
        response = await agent.run(ask)
        assert calls(response)[0][0] == "find_products", ask


def test_a_search_that_found_nothing_tries_what_several_needs_suggest_first() -> None:
    [profile] = profiles_of([find_products])
    failed = Step("find_products", {"query": "run 2 monitors laptop cable"}, {"products": [], "count": 0})
    assert retry_query(profile, [failed]) == {"query": "dock"}


def test_last_as_a_verb_points_back_to_nothing_and_a_charge_is_the_battery() -> None:
    ask = "which noise cancelling headphones last the longest on one charge"
    assert not points_back(ask)
    records = [
        {"sku": "AUD-100", "name": "Aurora ANC", "price": 179.0, "attributes": {"battery_hours": 40, "weight_g": 254}},
        {"sku": "AUD-101", "name": "Aurora Pro", "price": 299.0, "attributes": {"battery_hours": 30, "weight_g": 250}},
    ]
    pick = pick_by_figure(ask, records)
    assert pick is not None and (pick.field, pick.record["sku"]) == ("battery_hours", "AUD-100")


def test_a_country_names_one_of_its_regions_and_a_known_place_is_no_product() -> None:
    carriers, restock = profiles_of([list_carriers, next_restock])
    shipped = extract_arguments(carriers, "do you ship from the US over to germany? who's the courier")
    assert shipped.arguments == {"from_region": "us-east", "to_region": "eu-central"}
    assert "product" not in extract_arguments(restock, "when does reno get more").arguments


def test_a_word_said_with_wise_is_the_topic() -> None:
    [profile] = profiles_of([search_reviews])
    extraction = extract_arguments(profile, "do the reviews back that up battery-wise?")
    assert extraction.arguments["keyword"] == "battery"


@tool
def product_details(product: Annotated[str, Field(description="SKU or product name, e.g. OUT-300")]) -> dict[str, Any]:
    """A product's full details and specifications."""
    return {}


async def test_a_choice_among_a_kind_by_a_specification_is_searched_for() -> None:
    agent = make_agent([product_details, find_products])
    for ask in ("which smartwatch lasts longest between charges", "which headlamp lasts the longest per charge"):
        response = await agent.run(ask)
        assert calls(response)[0][0] == "find_products", ask
