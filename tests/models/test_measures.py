"""The offline model's reading of amounts a need states, needs the shopper is in, lowercase product names and
things sent back (issue 12, round seven)."""

from __future__ import annotations

import json

import pytest

from agents.models.offline.lexicon import shopper_states, state_remedies, synonym_terms
from agents.models.offline.measures import fails_need, measured_answer, stated_amounts
from agents.models.offline.profiles import profiles_of
from agents.models.offline.routing import coverage, name_spans
from agents.models.offline.superlative import pick_by_figure
from tests.models.fakes import ROUTES
from tests.models.support import calls, make_agent

TENTS = [
    {"sku": "OUT-300", "name": "TrailPeak 2 Backpacking Tent", "attributes": {"capacity_people": 2, "weight_kg": 1.6}},
    {"sku": "OUT-301", "name": "TrailPeak 4 Family Tent", "attributes": {"capacity_people": 4, "weight_kg": 5.2}},
]


def _listing(*products: dict[str, object]) -> str:
    return json.dumps({"count": len(products), "products": list(products), "message": "Found them."})


@pytest.mark.parametrize(
    ("ask", "measure", "value", "bound"),
    [
        ("I'd like a tent for 4 people", "people", 4, "min"),
        ("is there a tent that sleeps six?", "people", 6, "min"),
        ("a tent under 2 kg", "mass", 2, "max"),
        ("a sleeping bag under 2 lbs", "mass", 0.9072, "max"),
        ("at least 30L", "volume", 30, "min"),
        ("nothing bigger than 30 litres", "volume", 30, "max"),
        ("35+ hours of battery", "time", 35, "min"),
        ("at least 10 days on a charge", "time", 240, "min"),
    ],
)
def test_an_amount_is_read_with_its_unit_and_bound(ask: str, measure: str, value: float, bound: str) -> None:
    [amount] = stated_amounts(ask)
    assert (amount.measure, amount.bound) == (measure, bound)
    assert amount.value == pytest.approx(value)


def test_prices_and_plain_numbers_are_no_amounts() -> None:
    assert stated_amounts("headphones under $200") == []
    assert stated_amounts("2 x merino tops") == []


def test_the_products_meeting_an_amount_are_named_and_none_meeting_says_so() -> None:
    assert measured_answer("a tent for 4 people", [_listing(*TENTS)]) == (
        "For 4 people or more: the TrailPeak 4 Family Tent (OUT-301), capacity: 4 people."
    )
    none = measured_answer("a tent that sleeps six", [_listing(*TENTS)])
    assert none is not None and none.startswith("None of these has six people or more")
    assert "TrailPeak 4 Family Tent" in none
    assert measured_answer("a tent under 2 kg", [_listing(*TENTS)]) == (
        "For 2 kg or less: the TrailPeak 2 Backpacking Tent (OUT-300), weight: 1.6 kg."
    )
    assert measured_answer("a cheap tent", [_listing(*TENTS)]) is None


def test_one_product_missing_the_amount_fails_the_need() -> None:
    assert fails_need("a tent for 4 people", json.dumps(TENTS[0]))
    assert not fails_need("a tent for 2 people", json.dumps(TENTS[0]))


def test_at_least_inside_an_amount_is_no_superlative() -> None:
    assert pick_by_figure("headphones with at least 35 hours", TENTS) is None


def test_a_need_the_shopper_is_in_is_not_one_a_thing_has() -> None:
    assert shopper_states("i keep getting cold at night in my tent") == ["cold"]
    assert shopper_states("got anything that keeps drinks cold?") == []
    assert state_remedies("i keep getting cold at night in my tent")[0] == "down sleeping bag"


def test_lowercase_product_names_count_as_known_to_the_front_desk() -> None:
    offered = profiles_of(ROUTES)
    ask = "what sizes does the trail runner come in"
    [(start, end)] = name_spans(ask, frozenset())
    assert ask[start:end].startswith("trail runner")
    assert coverage(ask, offered) > 0.2
    assert name_spans("who won the football game last night?", frozenset()) == []
    assert coverage("what time does the sun set in Denver?", offered) < 0.2


def test_a_thing_sent_back_is_a_return_not_a_restock() -> None:
    assert "restock" not in synonym_terms("can I send the fitness band back?", interests=False)
    assert "order" in synonym_terms("can I send the fitness band back?", interests=False)
    assert "order" in synonym_terms("I want my money back for the monitor", interests=False)


@pytest.mark.parametrize(
    ("ask", "target"),
    [
        ("I want my money back for the monitor", "order-management"),
        ("need a daypack, nothing bigger than 30 litres", "product-discovery"),
        ("does the ergochair mesh pro have a headrest", "product-discovery"),
    ],
)
async def test_asks_of_this_round_reach_their_desk(ask: str, target: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert [name for name, _ in calls(response)] == [f"handoff_to_{target}"]
