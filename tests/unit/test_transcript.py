"""The transcript invariant: windows keep call/result pairs whole, violations are found and repaired."""

import pytest
from agent_framework import Content, Message

from agents.transcript import estimate_tokens, repair, violations, window, window_start


def user(text: str) -> Message:
    return Message("user", [Content.from_text(text)])


def said(text: str, author: str | None = None) -> Message:
    return Message("assistant", [Content.from_text(text)], author_name=author)


def calls(*ids: str, text: str | None = None) -> Message:
    contents = [Content.from_text(text)] if text else []
    contents += [Content.from_function_call(call_id=i, name=f"tool_{i}", arguments="{}") for i in ids]
    return Message("assistant", contents)


def results(*ids: str) -> Message:
    return Message("tool", [Content.from_function_result(call_id=i, result="ok") for i in ids])


def shape(messages: list[Message]) -> list[str]:
    out = []
    for m in messages:
        parts = [c.text if c.type == "text" else f"{c.type}:{c.call_id}" for c in m.contents]
        out.append(f"{m.role}[{', '.join(parts)}]")
    return out


VALID = [
    [user("hi"), said("hello")],
    [user("where is ORD-1001?"), calls("a"), results("a"), said("shipped")],
    [user("x"), calls("a", "b"), results("a"), results("b"), said("done")],
    [user("x"), calls("a", "b"), results("b", "a"), said("done")],
    [user("x"), calls("a", text="Let me check."), results("a")],
    [user("x"), calls("a"), results("a"), said("routed", author="order-management"), user("y")],
]


@pytest.mark.parametrize("messages", VALID)
def test_valid_transcripts_pass_and_repair_keeps_them(messages: list[Message]) -> None:
    assert violations(messages) == []
    assert repair(messages) == messages


BROKEN = [
    # (messages, problem fragment, shape after repair)
    ([user("x"), calls("a"), user("y")], "has no result", ["user[x]", "user[y]"]),
    (
        [user("x"), calls("a", text="One moment."), user("y")],
        "has no result",
        ["user[x]", "assistant[One moment.]", "user[y]"],
    ),
    ([results("a"), said("shipped"), user("y")], "without the assistant call", ["assistant[shipped]", "user[y]"]),
    ([user("x"), said("a"), results("a")], "without the assistant call", ["user[x]", "assistant[a]"]),
    (
        [user("x"), calls("a"), results("a", "z")],
        "answers no open call",
        ["user[x]", "assistant[function_call:a]", "tool[function_result:a]"],
    ),
    (
        [user("x"), calls("a"), results("a"), results("a")],
        "answers no open call",
        ["user[x]", "assistant[function_call:a]", "tool[function_result:a]"],
    ),
    (
        [user("x"), calls("a", "b"), results("a"), user("y")],
        "'b' has no result",
        ["user[x]", "assistant[function_call:a]", "tool[function_result:a]", "user[y]"],
    ),
    (
        [user("x"), calls("a", "a"), results("a")],
        "repeated id",
        ["user[x]", "assistant[function_call:a]", "tool[function_result:a]"],
    ),
    (
        [user("x"), Message("assistant", [Content.from_text("  ")]), user("y")],
        "empty assistant",
        ["user[x]", "user[y]"],
    ),
    ([user("x"), calls("a")], "has no result", ["user[x]"]),
]


@pytest.mark.parametrize(("messages", "problem", "repaired"), BROKEN)
def test_broken_transcripts_are_found_and_repaired(messages: list[Message], problem: str, repaired: list[str]) -> None:
    found = violations(messages)
    assert any(problem in str(v) for v in found), found
    fixed = repair(messages)
    assert shape(fixed) == repaired
    assert violations(fixed) == []


def test_repair_leaves_the_input_untouched() -> None:
    messages = [user("x"), calls("a", "b"), results("a")]
    before = shape(messages)
    repair(messages)
    assert shape(messages) == before


def conversation(turns: int) -> list[Message]:
    messages: list[Message] = []
    for n in range(turns):
        messages += [user(f"question {n}"), calls(f"c{n}"), results(f"c{n}"), said(f"answer {n} " + "x" * 200)]
    return messages


def test_window_cuts_at_a_user_message_within_both_budgets() -> None:
    messages = conversation(10)
    kept = window(messages, max_messages=12, max_tokens=10_000)
    assert len(kept) <= 12 and kept[0].role == "user"
    assert violations(kept) == []
    small = window(messages, max_messages=100, max_tokens=200)
    assert sum(estimate_tokens(m) for m in small) <= 200
    assert small[0].role == "user" and violations(small) == []


def test_window_never_opens_on_a_tool_result() -> None:
    for max_messages in range(1, 20):
        for max_tokens in (20, 60, 150, 400, 10_000):
            kept = window(conversation(5), max_messages=max_messages, max_tokens=max_tokens)
            assert kept and violations(kept) == [], (max_messages, max_tokens)


def test_an_over_budget_newest_turn_is_kept_whole() -> None:
    messages = [user("old"), said("old answer"), user("new " + "y" * 4000), calls("a"), results("a"), said("z")]
    assert window_start(messages, max_messages=40, max_tokens=50) == 2


def test_without_user_messages_the_window_skips_leading_results() -> None:
    messages = [calls("a"), results("a"), said("one"), said("two")]
    assert window_start(messages, max_messages=3, max_tokens=10_000) == 2
