"""The offline model at a pricing desk: what a price is asked of (the things spoken of, how many) and with what
(the shopper's own discount, the best code for them)."""

from __future__ import annotations

from agents.models.offline.superlative import pick_by_figure, qualifies_a_price


def test_a_comparing_word_opening_a_clause_prices_the_thing_and_picks_none() -> None:
    listed = [{"sku": "KIT-200", "price": 449.0}, {"sku": "OUT-308", "price": 79.0}]
    asks = (("whats the cheapest i can get it for", "cheapest"), ("the lowest you can do on them?", "lowest"))
    for ask, word in asks:
        assert qualifies_a_price(ask, word)
        assert pick_by_figure(ask, listed) is None
    assert not qualifies_a_price("which is the cheapest one", "cheapest")
    picked = pick_by_figure("which is the cheapest one", listed)
    assert picked is not None and picked.record["sku"] == "OUT-308"
