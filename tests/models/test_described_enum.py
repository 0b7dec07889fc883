"""An enum parameter whose description describes each value is filled by what the ask is about."""

from typing import Annotated, Literal

import pytest
from agent_framework import tool
from pydantic import Field

from agents.definitions import SPECIALISTS
from tests.models.support import make_agent

Name = Literal[
    "product-discovery", "order-management", "pricing-promotions", "review-sentiment", "inventory-fulfillment"
]
CALLS: list[tuple[str, str]] = []


@tool(name="ask_team", description="Pass the shopper's message to the team that owns it and return its answer.")
def ask_team(
    team: Annotated[
        Name,
        Field(
            description="The team, e.g. order-management. One of:\n"
            + "\n".join(f"- {d.name}: {d.description}" for d in SPECIALISTS)
        ),
    ],
    message: Annotated[str, Field(description="The shopper's message, e.g. where is my order?")],
) -> str:
    CALLS.append((team, message))
    return f"{team} answered"


@pytest.mark.parametrize(
    ("ask", "team"),
    [
        ("Is the TrailPeak 2 tent in stock?", "inventory-fulfillment"),
        ("where is my order ORD-1001?", "order-management"),
        ("any coupon for headphones?", "pricing-promotions"),
        ("what do people say about the AeroBrew?", "review-sentiment"),
        ("noise-cancelling headphones under $200", "product-discovery"),
    ],
)
async def test_value_chosen_by_its_description_and_message_passed_whole(ask, team):
    CALLS.clear()
    response = await make_agent([ask_team]).run(ask)
    assert CALLS[0] == (team, ask)
    assert f"{team} answered" in response.text.lower()
