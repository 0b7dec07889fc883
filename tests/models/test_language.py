"""The offline model's reading of text: words, stems, names, and arguments by JSON schema."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from agent_framework import Message, tool
from pydantic import Field

from agents.models.offline.arguments import extract_arguments
from agents.models.offline.conversation import Conversation, Evidence
from agents.models.offline.lexicon import phrases_in, synonym_terms, without_fixed_phrases
from agents.models.offline.profiles import ASIDE_WEIGHT, build_profile, profile_of
from agents.models.offline.references import points_back
from agents.models.offline.text import entity_spans, stem, text_terms, words
from tests.models.support import exchange

Region = Literal["us-east", "us-central", "us-west", "eu-central"]


@tool
def list_carriers(from_region: Region, to_region: Region) -> dict[str, Any]:
    """Carriers and services between two regions."""
    return {}


@tool
def search_products(
    query: Annotated[str, Field(description="What the shopper is looking for")],
    min_price: float | None = None,
    max_price: float | None = None,
    min_rating: float | None = None,
) -> dict[str, Any]:
    """Search the catalog by text, price range and rating."""
    return {}


@tool
def estimate_shipping(
    product: Annotated[str, Field(description="SKU or product name, e.g. OUT-300")], region: Region, quantity: int = 1
) -> dict[str, Any]:
    """Shipping estimate for a product to a region."""
    return {}


@tool
def best_price(products: Annotated[list[str], Field(description="SKUs or product names, e.g. KIT-200")]) -> dict:
    """Best price for a cart."""
    return {}


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cancelling", "cancel"), ("cancelled", "cancel"), ("shipping", "ship"), ("ratings", "rat"), ("rated", "rat")],
)
def test_stems_fold_inflections(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_codes_stay_whole_and_compounds_keep_their_parts() -> None:
    assert [w.text for w in words("Where is ORD-1001? noise-cancelling, 5.5L")] == [
        "Where",
        "is",
        "ORD-1001",
        "noise-cancelling",
        "5.5L",
    ]
    found = text_terms("noise-cancelling headphones")
    assert found["noise-cancelling"] == 1.0 and found[stem("headphones")] == 1.0
    assert found[stem("noise")] == found[stem("cancelling")] == 0.5
    assert "pric" in text_terms("anything under $50?")


def test_names_are_spotted_by_their_shape() -> None:
    text = "is the TrailPeak 2 tent like the Aurora Pro or OUT-300?"
    assert [text[s:e] for s, e in entity_spans(text)] == ["TrailPeak 2", "Aurora Pro", "OUT-300"]
    assert entity_spans("Compare them") == ()


@pytest.mark.parametrize(
    ("tool_", "ask", "arguments"),
    [
        (list_carriers, "carriers to EU Central from us west?", {"from_region": "us-west", "to_region": "eu-central"}),
        (search_products, "tents between $50 and 120 dollars", {"query": "tents", "min_price": 50, "max_price": 120}),
        (search_products, "headphones over $100 rated 4+", {"query": "headphones", "min_price": 100, "min_rating": 4}),
        (
            estimate_shipping,
            "ship two of OUT-301 to us-east",
            {"product": "OUT-301", "region": "us-east", "quantity": 2},
        ),
        (
            best_price,
            "best price for KIT-200, kit-201 and the Aurora Pro",
            {"products": ["KIT-200", "KIT-201", "Aurora Pro"]},
        ),
    ],
)
def test_arguments_follow_the_schema(tool_: Any, ask: str, arguments: dict[str, Any]) -> None:
    extraction = extract_arguments(profile_of(tool_), ask)
    assert extraction.arguments == arguments and extraction.missing == []


def test_a_missing_value_is_looked_up_in_earlier_messages_then_calls() -> None:
    profile = profile_of(estimate_shipping)
    earlier = [
        Evidence("assistant", "The tent is in stock.", {}),
        Evidence("assistant", "", {"product": "TrailPeak 2 tent"}),
        Evidence("assistant", "TrailPeak 2 Backpacking Tent (OUT-300)", {}),
    ]
    assert extract_arguments(profile, "and to eu-central?", earlier).arguments == {
        "product": "OUT-300",
        "region": "eu-central",
    }
    calls_only = [Evidence("assistant", "", {"product": "TrailPeak 2 tent"})]
    assert extract_arguments(profile, "and to eu-central?", calls_only).arguments["product"] == "TrailPeak 2 tent"
    missing = extract_arguments(profile, "and to eu-central?").missing
    assert [p.name for p in missing] == ["product"]


def test_how_many_asks_after_stock_only_before_a_thing_sold_or_units() -> None:
    assert phrases_in("how many tents are left") == ["how many"]
    assert phrases_in("how many do you have?") == ["how many"]
    assert phrases_in("how many lumens is the headlamp") == []  # a figure of the product, not stock
    assert phrases_in("how many burners does the camp stove have") == []
    # a thing of any name, when the ask goes on to ask whether the store holds it
    assert phrases_in("how many trailpeak 2 do u have") == ["how many"]
    assert phrases_in("how many stride s3 are left?") == ["how many"]
    assert phrases_in("how many watts do they use") == []


def test_last_as_a_verb_points_back_to_nothing() -> None:
    assert not points_back("and how long does the camp kit deal last?")
    assert not points_back("will the battery last for a week")
    assert points_back("whats in the last one")


def test_it_is_what_a_call_after_the_last_ask_was_about() -> None:
    profile = profile_of(estimate_shipping)
    earlier = [
        Evidence("assistant", "", {"product": "sleeping bag"}),
        Evidence("user", "is there a bundle with the sleeping bag", {}),
        Evidence("assistant", "Carbon Trekking Poles (pair) (OUT-305), $99.00", {}),
    ]
    assert extract_arguments(profile, "how fast can it get to eu-central?", earlier).arguments == {
        "product": "sleeping bag",
        "region": "eu-central",
    }


def test_everyday_phrases_are_read_in_chat_shorthand_too() -> None:
    assert phrases_in("hw much is it") == phrases_in("how much is it") == ["how much"]
    assert phrases_in("where r my orders?") == ["where are my"]


def test_a_condition_in_a_description_is_an_aside() -> None:
    profile = build_profile("cancel_order", "Cancel an order if it is still placed or processing.", {})
    assert profile.weights[stem("cancel")] == 1.0
    assert profile.weights[stem("placed")] == profile.weights[stem("processing")] == ASIDE_WEIGHT


def test_a_kind_of_product_in_a_description_is_an_example_of_what_it_covers() -> None:
    profile = build_profile("handoff_to_orchestrator", "The front desk: answers greetings and goodbyes.", {})
    assert profile.weights[stem("desk")] == ASIDE_WEIGHT
    assert profile.weights[stem("greetings")] == 1.0


def test_a_thing_the_shopper_has_is_an_order_only_when_the_ask_speaks_of_one() -> None:
    assert stem("order") in synonym_terms("did my new desk ship yet?")
    assert stem("order") in synonym_terms("when will my smartwatch arrive")
    assert stem("order") not in synonym_terms("my speakers sound awful, anything better?")


def test_back_is_a_restock_only_in_that_sense() -> None:
    assert stem("restock") in synonym_terms("when is the espresso machine back?")
    assert stem("restock") not in synonym_terms("the chair i'm sending back")
    assert stem("return") in synonym_terms("the chair i'm sending back")
    assert not synonym_terms("do the reviews back that up?").keys() & {stem("restock"), stem("return")}


def test_whether_the_store_has_the_thing_spoken_of_asks_after_its_stock() -> None:
    assert stem("stock") in synonym_terms("and do you have them near me?")
    assert stem("stock") not in synonym_terms("do you have anything for hiking?")


def test_a_follow_up_after_a_reaction_is_the_ask() -> None:
    def ask(text: str) -> str:
        return Conversation([Message("user", [text])]).ask

    assert ask("denver?? i live in europe haha. ok what about the kettle one") == "ok what about the kettle one"
    assert ask("i live in europe. how long would shipping take?") == "i live in europe. how long would shipping take?"


def test_words_of_emphasis_name_nothing() -> None:
    assert text_terms("do people actually like them, honestly?").keys() == {stem("like")}


def test_a_clause_ends_after_words_that_only_stress_it() -> None:
    assert phrases_in("is the kettle any good tho") == ["any good"]
    assert phrases_in("is it any good honestly?") == ["any good"]
    assert phrases_in("any good blenders honestly") == []


def test_it_is_the_name_the_shopper_wrote_before_with_the_word_after_its_figure() -> None:
    profile = profile_of(estimate_shipping)
    earlier = [
        Evidence("assistant", "WELCOME10 needs a first order.", {}),
        Evidence("user", "can i use WELCOME10 on the 45L backpack", {}),
    ]
    assert extract_arguments(profile, "ship it to eu-central?", earlier).arguments["product"] == "45L backpack"


def test_a_clipped_word_means_what_the_words_it_begins_agree_on() -> None:
    assert stem("compare") in synonym_terms("whats the diff between them", interests=False)
    assert synonym_terms("revie", interests=False) == {}  # "reviewers" (customers) and "review" disagree
    assert synonym_terms("pulse", interests=False) == {}  # an everyday word is no clipping


def test_needing_the_thing_spoken_of_is_no_search_for_a_product() -> None:
    assert stem("product") in synonym_terms("i need a tent for the weekend", interests=False)
    assert stem("product") not in synonym_terms("need it for a warranty form", interests=False)
    assert stem("product") not in synonym_terms("and if i need them tomorrow?", interests=False)


def test_a_thing_asked_for_by_what_it_can_do_is_searched_for_and_its_verb_is_no_topic() -> None:
    assert stem("catalog") in synonym_terms("ok what else can track my sleep then", interests=False)
    assert "track" not in without_fixed_phrases("ok what else can track my sleep then")
    assert stem("catalog") not in synonym_terms("what else can you do?", interests=False)
    assert "track" in without_fixed_phrases("can you track my order")
    assert "ship" in without_fixed_phrases("anything that can ship by friday?")  # done to the thing: a shipping ask


def test_the_shopper_adding_a_thing_is_no_topic_but_asking_what_to_add_is() -> None:
    for ask in ("what if i add the carbon trekking poles too", "and if i throw in the camp stove duo too?"):
        assert not {"add", "throw"} & set(without_fixed_phrases(ask).split()), ask
    assert "add" in without_fixed_phrases("what do i need to add to get the camp kit")
    assert "add" in without_fixed_phrases("what else should i add?")


def test_whether_a_thing_suits_a_use_asks_for_its_specifications() -> None:
    specifications = stem("specifications")
    for ask in ("r those ok for rocky trails?", "is the tent fine for winter camping", "are they suitable for kids"):
        assert specifications in synonym_terms(ask, interests=False), ask
    for ask in ("ok for now, thanks", "is it ok for me to cancel it?"):
        assert specifications not in synonym_terms(ask, interests=False), ask


def test_what_a_lookup_found_nothing_for_is_no_thing_spoken_of() -> None:
    missed = {"error": "not_found", "message": "I couldn't find a product matching 'catch'.", "query": "catch"}
    messages = [
        Message("user", ["is TRAIL20 still good? whats the catch"]),
        *exchange(1, "validate_coupon", {"code": "TRAIL20", "products": ["catch"]}, missed),
        *exchange(2, "validate_coupon", {"code": "TRAIL20"}, {"message": "TRAIL20: 20% off outdoor gear over $150."}),
        Message("assistant", ["TRAIL20: 20% off outdoor gear over $150."]),
        Message("user", ["would it work on just the camp stove duo?"]),
    ]
    convo = Conversation(messages)
    assert convo.last_value("products") is None
    assert all("catch" not in str(e.arguments) for e in convo.earlier())
    assert any(e.arguments.get("code") == "TRAIL20" for e in convo.earlier())
