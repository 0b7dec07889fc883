"""Each request rule of the double: broken it answers the API's 400, kept it accepts."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.support.chat_double import chat_double, text
from tests.support.chat_double.validation import ORPHAN_RESULT, validate

TOOL = {
    "type": "function",
    "function": {
        "name": "get_stock",
        "description": "Stock of a product.",
        "parameters": {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]},
    },
}
CALL = {"id": "call_1", "type": "function", "function": {"name": "get_stock", "arguments": '{"sku": "OUT-300"}'}}
USER = {"role": "user", "content": "Is OUT-300 in stock?"}
ASKED = {"role": "assistant", "content": None, "tool_calls": [CALL]}
ANSWERED = {"role": "tool", "tool_call_id": "call_1", "content": "3 in stock"}


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "gpt-4.1-mini", "messages": [USER], **fields}


def two_calls(*results: str) -> list[dict[str, Any]]:
    second = copy.deepcopy(CALL) | {"id": "call_2"}
    tools = [{"role": "tool", "tool_call_id": r, "content": "ok"} for r in results]
    return [USER, {"role": "assistant", "tool_calls": [CALL, second]}, *tools]


ACCEPTED = {
    "a plain request": body(),
    "an author name": body(messages=[USER, {"role": "assistant", "content": "Hi.", "name": "order-management"}, USER]),
    "developer and system messages": body(messages=[{"role": "developer", "content": "Be brief."}, USER]),
    "content as text parts": body(messages=[{"role": "user", "content": [{"type": "text", "text": "hi"}]}]),
    "an image part from a user": body(
        messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]
    ),
    "a call and its result": body(messages=[USER, ASKED, ANSWERED], tools=[TOOL]),
    "text and a call in one message": body(
        messages=[USER, {"role": "assistant", "content": "Checking.", "tool_calls": [CALL]}, ANSWERED], tools=[TOOL]
    ),
    "two calls answered in any order": body(messages=two_calls("call_2", "call_1"), tools=[TOOL]),
    "a call answered, then the conversation goes on": body(
        messages=[USER, ASKED, ANSWERED, {"role": "assistant", "content": "3 in stock."}, USER], tools=[TOOL]
    ),
    "tool_choice auto, none, required": body(tools=[TOOL], tool_choice="required"),
    "a named tool_choice": body(tools=[TOOL], tool_choice={"type": "function", "function": {"name": "get_stock"}}),
    "parallel_tool_calls with tools": body(tools=[TOOL], parallel_tool_calls=False),
    "stream_options with stream": body(stream=True, stream_options={"include_usage": True}),
    "a tool without parameters": body(tools=[{"type": "function", "function": {"name": "handoff_to_x"}}]),
    "a 64-character tool name": body(tools=[{"type": "function", "function": {"name": "a" * 64}}]),
    "a 1024-character description": body(
        tools=[{"type": "function", "function": {"name": "f", "description": "x" * 1024}}]
    ),
}

# (case, request, rule, param)
REJECTED = [
    ("no model", {"messages": [USER]}, "model_required", None),
    ("an unknown top-level field", body(foo=1), "unknown_parameter", None),
    ("no messages", {"model": "m"}, "missing_parameter", "messages"),
    ("empty messages", body(messages=[]), "empty_array", "messages"),
    ("messages not a list", body(messages="hi"), "invalid_type", "messages"),
    ("a message without role", body(messages=[{"content": "hi"}]), "missing_parameter", "messages[0].role"),
    ("an unknown role", body(messages=[{"role": "robot", "content": "hi"}]), "invalid_value", "messages[0].role"),
    ("the deprecated function role", body(messages=[{"role": "function", "name": "f", "content": "x"}]),
     "invalid_value", "messages[0].role"),
    ("an author name with a space", body(messages=[USER | {"name": "Order Desk"}]), "author_pattern",
     "messages[0].name"),
    ("a user message without content", body(messages=[{"role": "user"}]), "missing_parameter", "messages[0].content"),
    ("content of the wrong type", body(messages=[{"role": "user", "content": 5}]), "invalid_type",
     "messages[0].content"),
    ("an empty content array", body(messages=[{"role": "user", "content": []}]), "empty_array", "messages[0].content"),
    ("a part of an unknown type", body(messages=[{"role": "user", "content": [{"type": "video"}]}]), "invalid_value",
     "messages[0].content[0].type"),
    ("an image part in a system message",
     body(messages=[{"role": "system", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}, USER]),
     "part_type_for_role", "messages[0].content[0].type"),
    ("a text part without text", body(messages=[{"role": "user", "content": [{"type": "text"}]}]),
     "missing_parameter", "messages[0].content[0].text"),
    ("tool_calls on a user message", body(messages=[{"role": "user", "content": "hi", "tool_calls": [CALL]}]),
     "additional_property", None),
    ("an assistant message with neither content nor tool calls", body(messages=[USER, {"role": "assistant"}, USER]),
     "empty_assistant_message", "messages.[1].content"),
    ("an assistant message with empty content and no tool calls",
     body(messages=[USER, {"role": "assistant", "content": ""}, USER]), "empty_assistant_message",
     "messages.[1].content"),
    ("an empty tool_calls array", body(messages=[USER, {"role": "assistant", "content": "x", "tool_calls": []}]),
     "empty_tool_calls", "messages[1].tool_calls"),
    ("arguments that are not JSON",
     body(messages=[USER, {"role": "assistant", "tool_calls": [CALL | {"function": {"name": "get_stock",
          "arguments": "{sku: OUT-300"}}]}, ANSWERED], tools=[TOOL]),
     "arguments_not_json", "messages[1].tool_calls[0].function.arguments"),
    ("arguments as an object",
     body(messages=[USER, {"role": "assistant", "tool_calls": [CALL | {"function": {"name": "get_stock",
          "arguments": {"sku": "OUT-300"}}}]}, ANSWERED], tools=[TOOL]),
     "invalid_type", "messages[1].tool_calls[0].function.arguments"),
    ("a tool call without id", body(messages=[USER, {"role": "assistant", "tool_calls": [
        {k: v for k, v in CALL.items() if k != "id"}]}]), "missing_parameter", "messages[1].tool_calls[0].id"),
    ("a called name off the pattern", body(messages=[USER, {"role": "assistant", "tool_calls": [
        CALL | {"function": {"name": "get stock", "arguments": "{}"}}]}, ANSWERED]), "name_pattern",
     "messages[1].tool_calls[0].function.name"),
    ("a call without its result", body(messages=[USER, ASKED, USER], tools=[TOOL]), "tool_calls_unanswered",
     "messages.[1].role"),
    ("a call without its result at the end", body(messages=[USER, ASKED], tools=[TOOL]), "tool_calls_unanswered",
     "messages.[1].role"),
    ("one of two calls answered", body(messages=two_calls("call_2"), tools=[TOOL]), "tool_calls_unanswered",
     "messages.[1].role"),
    ("a result after another message", body(messages=[USER, ASKED, USER, ANSWERED], tools=[TOOL]),
     "tool_calls_unanswered", "messages.[1].role"),
    ("a result without its call", body(messages=[USER, ANSWERED]), "orphan_tool_result", "messages.[1].role"),
    ("a result for another message's call",
     body(messages=[USER, ASKED, ANSWERED, {"role": "assistant", "content": "ok"},
                    ANSWERED | {"tool_call_id": "call_9"}], tools=[TOOL]), "orphan_tool_result", "messages.[4].role"),
    ("a result twice", body(messages=[*two_calls("call_1", "call_1")], tools=[TOOL]), "duplicate_tool_result",
     "messages.[3].tool_call_id"),
    ("a call id used twice", body(messages=[USER, ASKED, ANSWERED, ASKED, ANSWERED], tools=[TOOL]),
     "duplicate_tool_call_id", "messages.[3].tool_calls"),
    ("a tool message without tool_call_id", body(messages=[USER, ASKED, {"role": "tool", "content": "x"}]),
     "missing_parameter", "messages[2].tool_call_id"),
    ("empty tools", body(tools=[]), "empty_array", "tools"),
    ("a tool of another type", body(tools=[{"type": "retrieval"}]), "invalid_value", "tools[0].type"),
    ("a tool name off the pattern", body(tools=[{"type": "function", "function": {"name": "get.stock"}}]),
     "name_pattern", "tools[0].function.name"),
    ("a tool name too long", body(tools=[{"type": "function", "function": {"name": "a" * 65}}]), "name_too_long",
     "tools[0].function.name"),
    ("a tool without name", body(tools=[{"type": "function", "function": {"description": "x"}}]),
     "missing_parameter", "tools[0].function.name"),
    ("two tools of one name", body(tools=[TOOL, TOOL]), "duplicate_tool_name", "tools[1].function.name"),
    ("a description that is not a string",
     body(tools=[{"type": "function", "function": {"name": "f", "description": 3}}]), "invalid_type",
     "tools[0].function.description"),
    ("a description over 1024 characters",
     body(tools=[{"type": "function", "function": {"name": "f", "description": "x" * 1025}}]), "description_too_long",
     "tools[0].function.description"),
    ("more than 128 tools",
     body(tools=[{"type": "function", "function": {"name": f"f{i}"}} for i in range(129)]), "too_many_tools", "tools"),
    ("parameters that are not a JSON schema",
     body(tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object",
                                                                              "properties": {"a": {"type": 7}}}}}]),
     "invalid_schema", "tools[0].function.parameters"),
    ("parameters that are not an object schema",
     body(tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "string"}}}]),
     "schema_not_object", "tools[0].function.parameters"),
    ("tool_choice without tools", body(tool_choice="required"), "tool_choice_without_tools", "tool_choice"),
    ("tool_choice auto without tools", body(tool_choice="auto"), "tool_choice_without_tools", "tool_choice"),
    ("an unknown tool_choice", body(tools=[TOOL], tool_choice="always"), "invalid_value", "tool_choice"),
    ("a named tool_choice of a tool not offered",
     body(tools=[TOOL], tool_choice={"type": "function", "function": {"name": "other"}}), "tool_choice_unknown_tool",
     "tool_choice"),
    ("parallel_tool_calls without tools", body(parallel_tool_calls=False), "parallel_tool_calls_without_tools",
     "parallel_tool_calls"),
    ("stream_options without stream", body(stream_options={"include_usage": True}), "stream_options_without_stream",
     "stream_options"),
    ("a temperature out of range", body(temperature=3), "out_of_range", "temperature"),
]  # fmt: skip


@pytest.mark.parametrize("request_body", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_valid_request_is_accepted(request_body):
    assert validate(request_body) is None


@pytest.mark.parametrize(("request_body", "rule", "param"), [r[1:] for r in REJECTED], ids=[r[0] for r in REJECTED])
def test_a_broken_rule_is_rejected_with_its_param(request_body, rule, param):
    violation = validate(request_body)
    assert violation is not None
    assert (violation.rule, violation.param) == (rule, param), violation.message
    assert violation.body()["error"]["type"] == "invalid_request_error"


def test_the_pairing_errors_use_the_apis_texts():
    unanswered = validate(body(messages=[USER, ASKED, USER], tools=[TOOL]))
    assert unanswered is not None and unanswered.message == (
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
        "'tool_call_id'. The following tool_call_ids did not have response messages: call_1"
    )
    orphan = validate(body(messages=[USER, ANSWERED]))
    assert orphan is not None and orphan.message == ORPHAN_RESULT


async def test_a_violation_is_answered_with_the_apis_400_body_and_recorded():
    async with chat_double(lambda agent, tools, messages: text("unused")) as double, httpx.AsyncClient() as http:
        response = await http.post(
            f"{double.openai_url}/chat/completions",
            json=body(messages=[USER, ASKED, USER], tools=[TOOL]),
            headers={"authorization": "Bearer sk-test"},
        )
        not_json = await http.post(
            f"{double.openai_url}/chat/completions", content=b"{", headers={"authorization": "Bearer sk-test"}
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error" and error["param"] == "messages.[1].role"
    assert "call_1" in error["message"]
    assert not_json.status_code == 400
    assert [v.rule for _, v in double.violations] == ["tool_calls_unanswered", "not_json"]
    assert [r.route for r in double.requests] == ["openai", "openai"]


async def test_a_request_without_key_is_refused():
    async with chat_double(lambda agent, tools, messages: text("unused")) as double, httpx.AsyncClient() as http:
        response = await http.post(f"{double.openai_url}/chat/completions", json=body())
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert double.requests == []
