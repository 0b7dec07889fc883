"""The benchmarks' second model: the chat double as a process, routing every scripted ask to its owner."""

from __future__ import annotations

import httpx

from agents.handoff_extension import handoff_tool_name
from benchmarks.conversations import CONVERSATIONS, LONG_CONVERSATION
from benchmarks.models import DOUBLE_TITLE, OFFLINE_TITLE, routes, running_double
from benchmarks.report import _cost_rows, _double_row, _load_rows, render
from benchmarks.setups import SETUP_KEYS


def test_every_scripted_ask_has_one_owner():
    table = routes()
    for conversation in (*CONVERSATIONS, LONG_CONVERSATION):
        assert all(table[turn.text] == turn.expect for turn in conversation.turns)


def test_the_double_runs_as_a_process_and_routes_over_the_wire(tmp_path):
    ask = CONVERSATIONS[0].turns[0]
    handoffs = [handoff_tool_name(name) for name in ("order-management", ask.expect)]
    body = {
        "model": "gpt-4.1-mini",
        "messages": [{"role": "system", "content": "You route."}, {"role": "user", "content": ask.text}],
        "tools": [{"type": "function", "function": {"name": n, "parameters": {"type": "object", "properties": {}}}}
                  for n in handoffs],
    }  # fmt: skip
    with running_double(tmp_path) as double:
        assert double.env["OPENAI_BASE_URL"] == f"{double.url}/v1"
        key = {"authorization": "Bearer " + double.env["OPENAI_API_KEY"]}
        answer = httpx.post(f"{double.url}/v1/chat/completions", json=body, headers=key, timeout=30).json()
        rejected = httpx.post(f"{double.url}/v1/chat/completions", json={"model": "m"}, headers=key, timeout=30)
        stats = double.stats()
    call = answer["choices"][0]["message"]["tool_calls"][0]["function"]
    assert call["name"] == handoff_tool_name(ask.expect)
    assert answer["usage"]["prompt_tokens"] > 0
    assert rejected.status_code == 400
    assert stats["requests"] == 2
    assert [v["rule"] for v in stats["violations"]] == ["missing_parameter"]


def test_every_section_names_its_model():
    cost = {k: {"llm_calls": 2.0, "input_tokens": 100.0, "output_tokens": 10.0} for k in ("first", "same", "out")}
    answers = {"turns": 1, "answered": 1, "facts_found": 1}
    results = {
        "setups": {key: {"answers": answers, "cost": cost} for key in SETUP_KEYS},
        "ratios": {side: {} for side in ("a2a_vs_in_process", "mesh_vs_baseline")},
    }
    text = render(_cost_rows(results, DOUBLE_TITLE))
    for section in ("answers", "model calls per answered turn", "input tokens per answered turn"):
        assert f"{section} ({DOUBLE_TITLE}):" in text
    load = {"token_delay_ms": 20.0, "turns_per_conversation": 1, "levels": [], "peak_memory_mib": {}}
    assert f"`up` under load ({OFFLINE_TITLE}, 20 ms/token" in render(_load_rows(load, OFFLINE_TITLE))
    row = _double_row({"requests": 5, "violations": [{"agent": "orchestrator", "rule": "empty_array"}]})
    assert row[1] == "5 requests, 1 rejected (orchestrator: empty_array)"
