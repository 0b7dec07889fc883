"""The offline model's reading of needs, small talk and words that are no names (issue 12, round six)."""

from __future__ import annotations

import pytest

from agents.models.offline.conversation import Step
from agents.models.offline.lexicon import (
    asked_kinds,
    corrected,
    is_kind_of,
    is_product_kind,
    keeping_spans,
    related_words,
    said_of_shopper_spans,
    synonym_terms,
    without_pleasantries,
)
from agents.models.offline.planning import retry_query
from agents.models.offline.profiles import profiles_of
from agents.models.offline.references import points_back
from agents.models.offline.routing import coverage
from agents.models.offline.text import entity_spans, place_spans, stem
from tests.models.fakes import ROUTES, search_products
from tests.models.support import calls, make_agent

VOCABULARY = frozenset(stem(w) for w in ("star", "stock", "order", "stove"))


def test_english_words_are_not_corrected_but_slips_are() -> None:
    assert corrected("what should I bring to stay warm", VOCABULARY) == "what should I bring to stay warm"
    assert corrected("is it in stok", VOCABULARY) == "is it in stock"


def test_needs_suggest_what_more_of_them_share_and_qualify_the_kind_named() -> None:
    assert related_words("winter camping")[0] == "sleeping"
    assert related_words("dry rainy hike")[0] == "waterproof jacket"
    assert related_words("a speaker that survives rain")[0] == "waterproof speaker"


def test_small_talk_before_the_question_is_read_past() -> None:
    ask = "hi there! hope your day's going well :) got anything that keeps drinks cold?"
    assert without_pleasantries(ask, VOCABULARY) == "got anything that keeps drinks cold?"
    assert without_pleasantries("thanks for earlier! is the stove any good?", VOCABULARY) == "is the stove any good?"
    kept = "Hope you have the tent in stock. Can I get it by Friday?"
    assert without_pleasantries(kept, VOCABULARY) == kept


def test_places_and_months_are_no_names_and_a_relative_that_points_nowhere() -> None:
    ask = "I'm going to Colorado in January with the TrailPeak 2"
    assert [ask[s:e] for s, e in entity_spans(ask)] == ["TrailPeak 2"]
    assert [ask[s:e] for s, e in place_spans(ask)] == ["Colorado"]
    assert not points_back("need a speaker that survives rain")
    assert points_back("is there a discount on that")


def test_an_interest_alone_is_half_a_store_word() -> None:
    offered = profiles_of(ROUTES)
    assert coverage("can you recommend a good hiking trail near Denver?", offered) < 0.2
    assert coverage("something to keep me dry on a rainy hike?", offered) > 0.2


@pytest.mark.parametrize(
    ("ask", "target"),
    [
        ("anything good for long flights? the engine noise drives me mad", "product-discovery"),
        ("will it get here before friday if i order today?", "inventory-fulfillment"),
        ("are people happy with the pulse buds anc?", "review-sentiment"),
    ],
)
async def test_asks_whose_desk_is_clear_only_from_the_need(ask: str, target: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert [name for name, _ in calls(response)] == [f"handoff_to_{target}"]


@pytest.mark.parametrize(
    "ask",
    [
        "can you recommend a good hiking trail near Denver?",
        "can u recommend a good movie for tonight lol",
        "whats the weather gonna be like this weekend",  # what a thing is like is no liking
        "whats the weather like in paris today",  # "today" says when, not what: no deals running today
    ],
)
async def test_an_ask_outside_the_store_is_not_routed(ask: str) -> None:
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert calls(response) == []


def test_the_kind_an_ask_asks_for_is_told_from_the_kinds_it_only_speaks_of() -> None:
    assert is_product_kind("watch")  # a smartwatch is a watch the store sells
    assert asked_kinds("my sister runs marathons, whats a good gps watch") == ["watch"]
    assert asked_kinds("which tents are light") == ["tents"]
    assert asked_kinds("want to run 2 monitors off my laptop with one cable, what do i need") == []
    assert asked_kinds("is the tent in stock") == []
    assert is_kind_of("smartwatch", "watch") and is_kind_of("waterproof speaker", "speakers")
    assert not is_kind_of("shoes", "watch")


async def test_the_kind_asked_for_is_searched_and_the_interest_beside_it_is_left_out() -> None:
    agent = make_agent([search_products])
    ask = "my sister just started running marathons, whats a good gps watch thats not crazy expensive"
    assert calls(await agent.run(ask))[0] == ("search_products", {"query": "gps watch"})


def test_a_search_for_the_kind_asked_for_is_retried_as_that_kind_not_as_what_the_interest_suggests() -> None:
    [profile] = profiles_of([search_products])
    failed = Step("search_products", {"query": "runs marathons watch"}, {"results": [], "count": 0})
    # "running" suggests shoes and smartwatches: only a smartwatch is a watch
    assert retry_query(profile, [failed], "my sister runs marathons, what watch should she get") == {
        "query": "smartwatch"
    }
    bottle = Step("search_products", {"query": "runs marathons bottle"}, {"results": [], "count": 0})
    assert retry_query(profile, [bottle], "my sister runs marathons, whats a good bottle") == {"query": "bottle"}


async def test_shorthand_for_a_stopword_and_a_persons_age_are_no_words_to_search_for() -> None:
    agent = make_agent([search_products])
    # "w" is "with", "smth" "something", "ugh" a sigh: words no product's text holds
    assert calls(await agent.run("my sister is obsessed w coffee, what should i get her"))[0][1]["query"] == "coffee"
    assert calls(await agent.run("ugh fine. do u guys sell anything for hiking in the rain"))[0][1]["query"] == (
        "hiking rain"
    )
    # the age of the person a gift is for says who it is for, not what it is; the price bound is kept
    assert calls(await agent.run("gift for a 10 yo who likes music, under 100 bucks"))[0][1] == {
        "query": "music",
        "max_price": 100.0,
    }
    assert "12" not in calls(await agent.run("a gift for my 12-year-old nephew who loves music"))[0][1]["query"]


def test_what_a_thing_is_to_keep_a_thing_as_is_what_it_does() -> None:
    found = [ask[s:e] for ask in ["need smth to keep my coffee hot on the trail"] for s, e in keeping_spans(ask)]
    assert found == ["keep"]
    assert keeping_spans("got anything that keeps drinks cold all day?")
    assert not keeping_spans("i keep getting cold at night in my tent")  # the shopper's own state
    assert not keeping_spans("something to keep me dry on a rainy hike?")  # the person kept dry needs a thing
    assert not keeping_spans("can i keep it for now")


async def test_a_search_keeps_the_verb_of_what_the_thing_does_as_descriptions_say_it() -> None:
    agent = make_agent([search_products])
    ask = "need smth to keep my coffee hot on the trail, any ideas"
    # "keeps cold 24 h, hot 12 h", as the bottle's description says it
    assert calls(await agent.run(ask))[0][1]["query"] == "keep coffee hot trail"


def test_a_plural_in_ves_stems_as_its_singular() -> None:
    # "the catalog has ... knives": a desk for a cook's knife
    assert stem("knives") == stem("knife") and stem("shelves") == stem("shelf")
    assert stem("drives") == stem("drive")  # a verb in -ves keeps its v


async def test_a_need_said_by_what_one_does_where_is_the_catalogs() -> None:
    ask = "fine. whats the cheapest thing to cook on at a campsite"
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert [name for name, _ in calls(response)] == ["handoff_to_product-discovery"]


def test_a_word_of_speed_before_an_outing_says_how_long_it_is_not_how_fast_a_delivery_is() -> None:
    assert "fastest" not in synonym_terms("first overnight hike next month")
    assert "fastest" in synonym_terms("can i get the tent overnight")
    assert "fastest" in synonym_terms("overnight shipping to reno?")


async def test_a_need_for_an_overnight_outing_is_the_catalogs_not_the_shipping_desks() -> None:
    ask = "first overnight hike next month, need smth to haul all my gear"
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert [name for name, _ in calls(response)] == ["handoff_to_product-discovery"]


def test_asking_what_would_fix_a_problem_with_a_thing_the_store_serves_is_the_stores() -> None:
    offered = profiles_of(ROUTES)
    assert coverage("tv dialogue is so mumbly, what would fix that", offered) > 0.2  # a tv: soundbars
    assert coverage("my sink is leaking what would fix that", offered) < 0.2
    assert coverage("what could fix my marriage lol", offered) < 0.2


def test_what_others_say_of_the_shopper_is_the_shoppers_problem_not_reviews() -> None:
    ask = "whats good for wfh calls, ppl keep saying they can barely see me"
    assert [ask[s:e] for s, e in said_of_shopper_spans(ask)] == ["ppl keep saying they can barely see me"]
    assert not said_of_shopper_spans("ppl say the pulse buds hurt my ears, true?")  # an opinion of a thing
    assert not said_of_shopper_spans("what are people saying about the trailpeak 2")


async def test_a_use_asked_for_beside_what_others_say_of_the_shopper_goes_to_the_catalog_and_is_searched() -> None:
    ask = "whats good for wfh calls, ppl keep saying they can barely see me"
    response = await make_agent(ROUTES, name="orchestrator").run(ask)
    assert [name for name, _ in calls(response)] == ["handoff_to_product-discovery"]
    assert calls(await make_agent([search_products]).run(ask))[0][1] == {"query": "wfh calls"}
