"""The confirmation policy on replies typed the way shoppers type them, after "cancel ORD-1003"."""

import pytest

from specialists.host.confirmations import Verdict, decide

PENDING = {"type": "cancel_order", "order_id": "ORD-1003"}

CONFIRMING = [
    "yes",
    "Yes",
    "YES",
    "yes.",
    "Yes!",
    "yes!!!",
    "yesss",
    "yse",
    "yes pls",
    "yes plz",
    "yes please",
    "Yes please, cancel it",
    "yes, cancel it",
    "yes cancel it now",
    "yes, cancel ORD-1003",
    "yes cancel ord-1003",
    "yes cancel ord 1003",
    "Yes, cancel #1003.",
    "cancel it",
    "Cancel it please.",
    "cancel ORD-1003",
    "please cancel my order",
    "go ahead and cancel ORD-1003",
    "go ahead",
    "Go for it 👍",
    "do it",
    "please do",
    "absolutely",
    "Definitely, cancel it",
    "of course",
    "sure",
    "Sure thing",
    "sure, go ahead",
    "yeah",
    "yea go ahead",
    "yep",
    "yup, do it",
    "y",
    "ok",
    "okay, cancel it",
    "OK do it",
    "alright",
    "all right, cancel the order",
    "confirm",
    "I confirm",
    "confirmed",
    "yes I'm sure",
    "yes i am sure",
    "yes, I want to cancel it",
    "i want it cancelled",
    "yes, that's right",
    "yes, thank you!",
    "yes thanks 🙏",
    "👍",
    "👍🏽",
    "✅",
    "yes 😊",
    "yes — cancel it",
    "YES CANCEL IT",
    "Yes, I\u2019m sure",
    "affirmative",
    "proceed",
]

# (reply, what it does): HOLD keeps the action pending, DECLINE drops it, MOVE_ON drops it and answers.
NOT_CONFIRMING = [
    ("yes, keep it please", Verdict.HOLD),
    ("Sure, hold on a second", Verdict.HOLD),
    ("yes?", Verdict.HOLD),
    ("Sure, but first what is the price of the tent?", Verdict.HOLD),
    ("yes cancel ORD-1004", Verdict.HOLD),
    ("yes? no.", Verdict.HOLD),
    ("sure, but...", Verdict.HOLD),
    ("yes…", Verdict.HOLD),
    ("not yet", Verdict.HOLD),
    ("wait", Verdict.HOLD),
    ("Wait!", Verdict.HOLD),
    ("maybe", Verdict.HOLD),
    ("maybe yes", Verdict.HOLD),
    ("yes keep it", Verdict.HOLD),
    ("Yes, but keep it", Verdict.HOLD),
    ("yes and no", Verdict.HOLD),
    ("no, yes", Verdict.HOLD),
    ("Yes! Wait, no.", Verdict.HOLD),
    ("ok but wait", Verdict.HOLD),
    ("yes wait", Verdict.HOLD),
    ("hmm", Verdict.HOLD),
    ("hmmm let me think", Verdict.HOLD),
    ("one sec", Verdict.HOLD),
    ("hold on", Verdict.HOLD),
    ("later", Verdict.HOLD),
    ("I'm not sure", Verdict.HOLD),
    ("not sure 🤔", Verdict.HOLD),
    ("🤔", Verdict.HOLD),
    ("yes 🤔", Verdict.HOLD),
    ("are you sure?", Verdict.HOLD),
    ("cancel it?", Verdict.HOLD),
    ("ok?", Verdict.HOLD),
    ("really?", Verdict.HOLD),
    ("huh?", Verdict.HOLD),
    ("?", Verdict.HOLD),
    ("no?", Verdict.HOLD),
    ("cancel", Verdict.HOLD),
    ("cancel that", Verdict.HOLD),
    ("please", Verdict.HOLD),
    ("yes if I get a refund", Verdict.HOLD),
    ("yes, and track ORD-1001", Verdict.HOLD),
    ("yes I want the tent", Verdict.HOLD),
    ("wait, how much was it?", Verdict.HOLD),
    ("yes 🙅\u200d\u2642\ufe0f", Verdict.HOLD),
    ("no", Verdict.DECLINE),
    ("No.", Verdict.DECLINE),
    ("NO!!!", Verdict.DECLINE),
    ("noooo", Verdict.DECLINE),
    ("nope", Verdict.DECLINE),
    ("nah 😅", Verdict.DECLINE),
    ("n", Verdict.DECLINE),
    ("no thanks", Verdict.DECLINE),
    ("no, keep it", Verdict.DECLINE),
    ("keep it", Verdict.DECLINE),
    ("don't cancel", Verdict.DECLINE),
    ("dont cancel it", Verdict.DECLINE),
    ("Don\u2019t cancel ORD-1003", Verdict.DECLINE),
    ("do not cancel it", Verdict.DECLINE),
    ("don't do it", Verdict.DECLINE),
    ("never mind", Verdict.DECLINE),
    ("forget it", Verdict.DECLINE),
    ("stop", Verdict.DECLINE),
    ("no wait", Verdict.DECLINE),
    ("👎", Verdict.DECLINE),
    ("❌", Verdict.DECLINE),
    ("no wait, what's the price of the tent?", Verdict.MOVE_ON),
    ("no, where is ORD-1001?", Verdict.MOVE_ON),
    ("what's the price of the tent?", Verdict.MOVE_ON),
    ("Is the TrailPeak 2 tent in stock?", Verdict.MOVE_ON),
    ("track ORD-1001", Verdict.MOVE_ON),
    ("cancel ORD-1004", Verdict.MOVE_ON),
    ("I'd rather keep it", Verdict.MOVE_ON),
    ("sí", Verdict.MOVE_ON),
]


def test_the_tables_are_large_enough():
    assert len(CONFIRMING) >= 40
    assert len(NOT_CONFIRMING) >= 40


@pytest.mark.parametrize("reply", CONFIRMING)
def test_an_unambiguous_yes_confirms(reply):
    decision = decide(reply, PENDING)
    assert decision.verdict is Verdict.CONFIRM
    assert not decision.keeps_pending and not decision.answers_normally


@pytest.mark.parametrize(("reply", "verdict"), NOT_CONFIRMING)
def test_anything_else_confirms_nothing(reply, verdict):
    assert decide(reply, PENDING).verdict is verdict


def test_a_hold_keeps_the_action_and_says_how_to_confirm():
    decision = decide("yes, keep it please", PENDING)
    assert decision.keeps_pending and not decision.answers_normally
    assert decision.message == "I haven't cancelled ORD-1003. Say 'yes, cancel ORD-1003' to confirm."
    assert decide("yes, cancel ORD-1003", PENDING).verdict is Verdict.CONFIRM


def test_a_decline_names_the_order_and_a_new_request_is_answered_after_it():
    declined = decide("no", PENDING)
    assert not declined.keeps_pending and not declined.answers_normally
    assert "ORD-1003" in declined.message and "haven't cancelled" in declined.message
    moved_on = decide("no wait, what's the price of the tent?", PENDING)
    assert moved_on.answers_normally and not moved_on.keeps_pending
    assert moved_on.message == declined.message


def test_the_order_id_must_be_the_pending_one():
    assert decide("yes, cancel ORD-1004", {"type": "cancel_order", "order_id": "ORD-1004"}).verdict is Verdict.CONFIRM
    assert decide("yes, cancel ORD-1003", {"type": "cancel_order", "order_id": "ORD-1004"}).verdict is Verdict.HOLD


def test_an_action_type_without_wording_takes_only_a_plain_yes():
    pending = {"type": "something_new"}
    assert decide("yes", pending).verdict is Verdict.CONFIRM
    assert decide("cancel it", pending).verdict is Verdict.MOVE_ON
    assert decide("maybe", pending).message == "I haven't done that. Say 'yes' to confirm."
