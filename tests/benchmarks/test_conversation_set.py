"""The scripted conversations are data the benchmark can trust: enough of them, every domain, both follow-ups."""

from collections import Counter

from agents.definitions import SPECIALIST_NAMES
from benchmarks.conversations import CONVERSATIONS, KINDS, LONG_CONVERSATION, ORD


def test_at_least_twenty_conversations_of_three_turns_or_more():
    assert len(CONVERSATIONS) >= 20
    assert all(len(c.turns) >= 3 for c in CONVERSATIONS)
    assert len({c.id for c in CONVERSATIONS}) == len(CONVERSATIONS)


def test_every_specialist_is_expected_and_both_kinds_of_follow_up_occur():
    expected = {t.expect for c in CONVERSATIONS for t in c.turns}
    assert set(SPECIALIST_NAMES) <= expected
    kinds = Counter(t.kind for c in CONVERSATIONS for t in c.turns)
    assert set(kinds) == set(KINDS)
    assert kinds["same"] >= 20 and kinds["out"] >= 20


def test_each_conversation_opens_with_its_only_first_turn():
    for conversation in [*CONVERSATIONS, LONG_CONVERSATION]:
        assert [t.kind for t in conversation.turns][:1] == ["first"], conversation.id
        assert [t.kind for t in conversation.turns[1:]].count("first") == 0, conversation.id


def test_follow_up_kinds_agree_with_who_answered_before():
    for conversation in [*CONVERSATIONS, LONG_CONVERSATION]:
        for before, turn in zip(conversation.turns, conversation.turns[1:], strict=False):
            assert (turn.expect == before.expect) == (turn.kind == "same"), (conversation.id, turn.text)


def test_order_asks_are_signed_in():
    for conversation in CONVERSATIONS:
        if any(t.expect == ORD for t in conversation.turns):
            assert conversation.customer is not None, conversation.id


def test_the_long_conversation_has_twenty_turns_in_four_equal_cycles():
    texts = [t.text for t in LONG_CONVERSATION.turns]
    assert len(texts) == 20
    assert texts[5:10] == texts[10:15] == texts[15:20]
