"""Checkpointed mesh state: windows keep every agent's transcript valid; broken stored state heals."""

from typing import Any

from agent_framework import Content, Message

from agents.maf_internals import (
    EXECUTOR_CACHE_KEY,
    EXECUTOR_SESSION_KEY,
    EXECUTOR_STATE_KEY,
    EXECUTOR_TRANSCRIPT_KEY,
    HISTORY_SOURCE_ID,
)
from agents.transcript import violations
from orchestrator.checkpoints import UNBOUNDED, Window, bound_histories, heal


def user(text: str) -> Message:
    return Message("user", [Content.from_text(text)])


def said(text: str, author: str) -> Message:
    return Message("assistant", [Content.from_text(text)], author_name=author)


def handoff_call(call_id: str) -> Message:
    return Message("assistant", [Content.from_function_call(call_id=call_id, name="handoff_to_x", arguments="{}")])


def handoff_result(call_id: str) -> Message:
    return Message("tool", [Content.from_function_result(call_id=call_id, result='{"handoff_to": "x"}')])


def state_of(history: list[Message], cache: list[Message]) -> dict[str, Any]:
    return {
        EXECUTOR_STATE_KEY: {
            "orchestrator": {
                EXECUTOR_CACHE_KEY: list(cache),
                EXECUTOR_TRANSCRIPT_KEY: [user("a"), user("b"), user("c")],
                EXECUTOR_SESSION_KEY: {
                    "type": "session",
                    "session_id": "s",
                    "state": {HISTORY_SOURCE_ID: {"messages": [m.to_dict() for m in history]}},
                },
            }
        }
    }


def transcript(state: dict[str, Any]) -> list[Message]:
    executor = state[EXECUTOR_STATE_KEY]["orchestrator"]
    history = executor[EXECUTOR_SESSION_KEY]["state"][HISTORY_SOURCE_ID]["messages"]
    return [Message.from_dict(m) for m in history] + executor[EXECUTOR_CACHE_KEY]


def seven_same_domain_turns() -> tuple[list[Message], list[Message]]:
    """The orchestrator routed the first ask, then a specialist kept the floor for seven more."""
    history = [user("Where is my order ORD-1001?"), handoff_call("h1")]
    cache = [handoff_result("h1")]
    for n in range(8):
        cache += [said(f"answer {n}", "order-management"), user(f"follow-up {n}")]
    return history, cache


def test_a_long_same_domain_run_keeps_the_handoff_result_with_its_call() -> None:
    history, cache = seven_same_domain_turns()
    state = state_of(history, cache)
    assert bound_histories(state, Window(max_messages=12, max_tokens=UNBOUNDED)) == {}
    kept = transcript(state)
    assert violations(kept) == [] and kept[0].role == "user"
    assert len(kept) <= 12
    assert state[EXECUTOR_STATE_KEY]["orchestrator"][EXECUTOR_TRANSCRIPT_KEY][-1].text == "c"


def test_a_token_budget_bounds_the_window() -> None:
    history, cache = seven_same_domain_turns()
    cache = [said("x" * 400, "order-management") if m.role == "assistant" else m for m in cache]
    state = state_of(history, cache)
    bound_histories(state, Window(max_messages=100, max_tokens=300))
    kept = transcript(state)
    assert violations(kept) == [] and len(kept) < 8


def test_a_broken_state_is_reported_and_written_repaired() -> None:
    history = [user("hi"), handoff_call("h1"), said("routed", "x"), user("next")]
    state = state_of(history, [])
    found = bound_histories(state, Window(max_messages=40, max_tokens=UNBOUNDED))
    assert "orchestrator" in found and "has no result" in str(found["orchestrator"][0])
    assert violations(transcript(state)) == []


def test_a_stored_checkpoint_broken_before_the_fix_heals_on_load() -> None:
    # What the old slicing wrote: the call in the history, its result cut off the head of the cache.
    history, cache = seven_same_domain_turns()
    state = state_of(history, cache[-12:])
    assert violations(transcript(state))
    found = heal(state)
    assert found["orchestrator"]
    healed = transcript(state)
    assert violations(healed) == []
    assert healed[-1].text == "follow-up 7"


def test_valid_state_is_left_as_it_was() -> None:
    history, cache = seven_same_domain_turns()
    state = state_of(history, cache)
    assert heal(state) == {}
    assert [m.text for m in transcript(state)] == [m.text for m in history + cache]
