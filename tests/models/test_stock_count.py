"""The offline model at the stock desk: "how many" asks for the units held, not a number to ship."""

from __future__ import annotations

from agent_framework import Message

from agents.models.offline.policy import Call, decide
from specialists.tools.inventory_fulfillment import build_tools


def test_how_many_at_a_warehouse_asks_for_its_units_not_a_shipping_quantity() -> None:
    tools = build_tools(None)  # type: ignore[arg-type]  # the schemas only: no tool is run
    messages = [
        Message("user", ["hows the soundbar s2 rated"]),
        Message("assistant", ["Soundbar S2 with Subwoofer (AUD-107) is rated 4.14 out of 5 from 7 reviews."]),
        Message("user", ["how many of them do u have at the eu warehouse"]),
    ]
    decision = decide(messages, {"tools": tools})
    assert isinstance(decision, Call) and decision.name == "check_stock"
