"""The development set is data the offline model can be judged by: big enough, every agent, a held-out third."""

from agents.definitions import AGENTS
from benchmarks.devset import PARTS, Turn, facts_ok, load, states


def _turns(part: str) -> list[Turn]:
    return [t for c in load(part) for t in c.turns]


def test_at_least_150_asks_and_a_held_out_third():
    tuning, heldout = len(_turns("tuning")), len(_turns("heldout"))
    assert tuning + heldout >= 150
    assert 0.25 <= heldout / (tuning + heldout) <= 0.4


def test_every_agent_is_expected_in_both_parts_and_most_asks_check_facts():
    for part in PARTS:
        turns = _turns(part)
        assert {a for t in turns for a in t.expect} == set(AGENTS), part
        assert sum(t.checks_facts for t in turns) >= 0.8 * len(turns), part
        assert len({c.id for c in load(part)}) == len(load(part)), part


def test_order_asks_name_a_customer_or_expect_a_sign_in():
    for part in PARTS:
        for c in load(part):
            for t in c.turns:
                if t.expect == ("order-management",) and c.customer is None:
                    assert any("sign in" in f for f in t.facts), (part, c.id, t.say)


def test_issue_examples_are_in_the_tuning_part():
    asks = {t.say for t in _turns("tuning")}
    assert {
        "What about my other orders?",
        "Any discount codes I can use on a tent?",
        "What do people think of the TrailPeak 2?",
        "Cancel ORD-1001",
        "Is the TrailPeak 2 tent in stock?",
    } <= asks


def test_facts_match_the_fact_not_the_formatting():
    assert states("Delivered on November 21, $1,234.50 in total.", ("2026-11-21",))
    assert states("total $1,234.50", ("1234.50",))
    assert states("Nov 21", ("2026-11-21",)) and not states("Nov 22", ("2026-11-21",))
    turn = Turn("x", ("orchestrator",), facts=(("Reno", "WH-WEST"),), absent=("quantity 0",))
    assert facts_ok(turn, "3 in stock in Reno") and not facts_ok(turn, "Reno; WH-EAST quantity 0")
