"""What a follow-up points back to and asks, read as a reader reads the conversation: "last" as a verb is no
ordinal, "a 2nd pair" is one more of the thing spoken of, an order's item the shopper asked about is what "it" is,
an identifier given as an example in a question names nothing spoken of, and "any of those in the reno warehouse"
asks for their stock there."""

from __future__ import annotations

from agent_framework import Message

from agents.models.offline.arguments import extract_arguments
from agents.models.offline.conversation import Conversation, Evidence
from agents.models.offline.policy import Call, decide
from agents.models.offline.profiles import profiles_of
from agents.models.offline.references import points_back, resolve
from specialists.tools import inventory_fulfillment, product_discovery

_DETAILS = next(p for p in profiles_of(product_discovery.build_tools(None)) if p.name == "get_product_details")  # type: ignore[arg-type]
_PRODUCT = _DETAILS.params[0]
_ORDER = (
    "ORD-1001 (1 x Aurora ANC Over-Ear Headphones (AUD-100), 1 x Precision Wireless Mouse M5 (OFF-405)) shipped on "
    "Nov 18, 2026 with ParcelPost standard, tracking PA1001347044. Latest update: Out for delivery."
)
_LISTING = "Found 2 products: Aurora ANC Over-Ear Headphones (AUD-100), $179.00; Precision Wireless Mouse M5 (OFF-405)."


def _after(asked: str, answer: str) -> list[Evidence]:
    return [Evidence("assistant", answer, {}), Evidence("user", asked, {})]


def test_last_after_an_auxiliary_and_its_subject_is_a_verb_not_the_last_one_shown() -> None:
    assert not points_back("how long does the battery last on the mouse")
    assert points_back("did the last one ship")
    assert points_back("does my last order qualify")
    earlier = _after("do you have headphones or a mouse", _LISTING)
    assert resolve(_PRODUCT, "how long does the battery last on that", earlier) == ["AUD-100"]
    assert resolve(_PRODUCT, "whats in the last one", earlier) == ["OFF-405"]


def test_a_second_one_is_one_more_of_the_thing_spoken_of_not_the_second_shown() -> None:
    earlier = _after("do you have headphones or a mouse", _LISTING)
    assert resolve(_PRODUCT, "want a 2nd pair for my bf", earlier) == ["AUD-100"]
    assert resolve(_PRODUCT, "whats the 2nd one like", earlier) == ["OFF-405"]


def test_an_item_of_an_order_the_shopper_asked_about_is_what_a_reference_stands_for() -> None:
    for asked, item in [("did my headphones ship yet", "AUD-100"), ("did my mouse ship yet", "OFF-405")]:
        earlier = _after(asked, _ORDER)
        assert resolve(_PRODUCT, "is it in stock", earlier) == [item], asked
        assert resolve(_PRODUCT, "how long does the battery last on those", earlier)[0] == item, asked
        assert extract_arguments(_DETAILS, "are ppl happy w them tho", earlier).arguments == {"product": item}
    # an ask naming none of the order's items, or "both", is about all of them
    assert resolve(_PRODUCT, "are they in stock", _after("did my order ship yet", _ORDER)) == ["AUD-100", "OFF-405"]
    assert resolve(_PRODUCT, "are both in stock", _after("did my headphones ship", _ORDER)) == ["AUD-100", "OFF-405"]
    # a listing of search results is no record's contents: the kind asked for picks none of them out
    assert resolve(_PRODUCT, "are they in stock", _after("any headphones?", _LISTING)) == ["AUD-100", "OFF-405"]


def test_an_identifier_given_as_an_example_names_nothing_spoken_of() -> None:
    messages = [
        Message("user", ["any complaints abt it"]),
        Message("assistant", ["Which product do you mean? Please give the product name or SKU, e.g. OUT-300."]),
        Message("user", ["does it work with hdmi arc"]),
    ]
    [question, _] = Conversation(messages).earlier()
    assert "OUT-300" not in question.text and question.text.startswith("Which product do you mean?")
    made = extract_arguments(_DETAILS, "does it work with hdmi arc", Conversation(messages).earlier())
    assert made.arguments.get("product") != "OUT-300"


def test_any_of_those_at_a_warehouse_asks_for_their_stock_there() -> None:
    tools = inventory_fulfillment.build_tools(None)  # type: ignore[arg-type]  # the schemas only: no tool is run
    messages = [
        Message("user", ["do you have insulated water bottles"]),
        Message("assistant", ["Found 1 product: Insulated Water Bottle 1L (OUT-307), $29.00."]),
        Message("user", ["any of those in the reno warehouse?"]),
    ]
    decision = decide(messages, {"tools": tools})
    assert isinstance(decision, Call) and decision.name == "check_stock"
    assert decision.arguments == {"product": "OUT-307"}
