"""The request rules of `POST /chat/completions`, as the real API applies them.

Written from OpenAI's public API reference (request body, message and tool shapes) and the error
texts the API is known to answer with. `validate` returns the first rule a request breaks, or None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from tests.support.chat_double.errors import (
    Invalid,
    Violation,
    empty_array,
    invalid_type,
    missing,
    unexpected_property,
    unsupported_value,
)

TOP_LEVEL = frozenset(
    {
        "model", "messages", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
        "max_completion_tokens", "max_tokens", "metadata", "modalities", "n", "parallel_tool_calls", "prediction",
        "presence_penalty", "prompt_cache_key", "prompt_cache_retention", "reasoning_effort", "response_format",
        "safety_identifier", "seed", "service_tier", "stop", "store", "stream", "stream_options", "temperature",
        "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity", "web_search_options",
    }
)  # fmt: skip
ROLES = ("system", "assistant", "user", "function", "tool", "developer")
ACCEPTED_ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
MESSAGE_FIELDS: Mapping[str, frozenset[str]] = {
    "system": frozenset({"role", "content", "name"}),
    "developer": frozenset({"role", "content", "name"}),
    "user": frozenset({"role", "content", "name"}),
    "assistant": frozenset({"role", "content", "name", "refusal", "tool_calls", "function_call", "audio"}),
    "tool": frozenset({"role", "content", "tool_call_id"}),
}
PART_TYPES: Mapping[str, tuple[str, ...]] = {
    "system": ("text",),
    "developer": ("text",),
    "tool": ("text",),
    "user": ("text", "image_url", "input_audio", "file"),
    "assistant": ("text", "refusal"),
}
ALL_PART_TYPES = ("text", "image_url", "input_audio", "refusal", "audio", "file")
PART_FIELD = {kind: kind for kind in ("text", "image_url", "input_audio", "file", "refusal")}  # the part's payload
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]+$")
AUTHOR_PATTERN = re.compile(r"^[^\s<|\\/>]+$")  # a message's `name`: no whitespace, <, |, \, / or >
NAME_MAX = 64
DESCRIPTION_MAX = 1024
TOOLS_MAX = 128
TOOL_CHOICE_MODES = ("none", "auto", "required")

UNANSWERED = (
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
    "The following tool_call_ids did not have response messages: {ids}"
)
ORPHAN_RESULT = (  # the API's spelling
    "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."
)


def validate(body: Any, *, model_in_path: bool = False) -> Violation | None:
    """The first rule `body` breaks, or None when the API would accept it.

    `model_in_path`: the route names the model (an Azure deployment), so `model` may be left out.
    """
    try:
        _check(body, model_in_path)
    except Invalid as invalid:
        return invalid.violation
    return None


def _check(body: Any, model_in_path: bool) -> None:
    if not isinstance(body, dict):
        raise invalid_type("body", "an object", body)
    for name in body:
        if name not in TOP_LEVEL:
            raise Invalid("unknown_parameter", f"Unrecognized request argument supplied: {name}")
    if "model" not in body and not model_in_path:
        raise Invalid("model_required", "you must provide a model parameter")
    if "model" in body and not isinstance(body["model"], str):
        raise invalid_type("model", "a string", body["model"])
    _check_scalars(body)
    tools = _check_tools(body.get("tools"))
    _check_tool_choice(body, tools)
    if "parallel_tool_calls" in body and tools is None:
        raise _only_with_tools("parallel_tool_calls")
    _check_messages(body.get("messages"))


def _check_scalars(body: Mapping[str, Any]) -> None:
    for name in ("stream", "parallel_tool_calls", "store", "logprobs"):
        if name in body and body[name] is not None and not isinstance(body[name], bool):
            raise invalid_type(name, "a boolean", body[name])
    for name in ("max_tokens", "max_completion_tokens", "n", "seed", "top_logprobs"):
        value = body.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise invalid_type(name, "an integer", value)
    for name, low, high in (("temperature", 0, 2), ("top_p", 0, 1), ("frequency_penalty", -2, 2),
                            ("presence_penalty", -2, 2)):  # fmt: skip
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise invalid_type(name, "a number", value)
        if not low <= value <= high:
            raise Invalid(
                "out_of_range",
                f"Invalid '{name}': decimal above maximum value. Expected a value <= {high}, but got {value} instead."
                if value > high
                else f"Invalid '{name}': decimal below minimum value. Expected a value >= {low}, but got {value} "
                "instead.",
                name,
                "decimal_above_max_value" if value > high else "decimal_below_min_value",
            )
    options = body.get("stream_options")
    if options is not None:
        if not body.get("stream"):
            raise Invalid(
                "stream_options_without_stream",
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                "stream_options",
            )
        if not isinstance(options, dict):
            raise invalid_type("stream_options", "an object", options)
        for key, value in options.items():
            if key not in ("include_usage", "include_obfuscation"):
                raise Invalid("unknown_parameter", f"Unrecognized request argument supplied: stream_options.{key}")
            if not isinstance(value, bool):
                raise invalid_type(f"stream_options.{key}", "a boolean", value)


# --- tools -------------------------------------------------------------------------------------------------------


def _check_tools(tools: Any) -> list[str] | None:
    """The offered function names (None when no `tools` are given)."""
    if tools is None:
        return None
    if not isinstance(tools, list):
        raise invalid_type("tools", "an array", tools)
    if not tools:
        raise empty_array("tools")
    if len(tools) > TOOLS_MAX:
        raise Invalid(
            "too_many_tools",
            f"Invalid 'tools': array too long. Expected an array with maximum length {TOOLS_MAX}, but got an array "
            f"with length {len(tools)} instead.",
            "tools",
            "array_above_max_length",
        )
    names: list[str] = []
    for i, tool in enumerate(tools):
        where = f"tools[{i}]"
        _kind(tool, where, "type", ("function",))
        for key in tool:
            if key not in ("type", "function"):
                raise unexpected_property(key, f"tools.{i}")
        function = tool.get("function")
        if function is None:
            raise missing(f"{where}.function")
        if not isinstance(function, dict):
            raise invalid_type(f"{where}.function", "an object", function)
        for key in function:
            if key not in ("name", "description", "parameters", "strict"):
                raise unexpected_property(key, f"tools.{i}.function")
        name = function.get("name")
        _check_name(name, f"{where}.function.name")
        if name in names:
            raise Invalid(
                "duplicate_tool_name",
                f"Invalid 'tools': duplicate function name '{name}' in tools[{names.index(name)}] and {where}.",
                f"{where}.function.name",
                "invalid_value",
            )
        names.append(name)
        if "description" in function:
            _check_description(function["description"], f"{where}.function.description")
        if "strict" in function and function["strict"] is not None and not isinstance(function["strict"], bool):
            raise invalid_type(f"{where}.function.strict", "a boolean", function["strict"])
        if "parameters" in function:
            _check_parameters(name, function["parameters"], f"{where}.function.parameters")
    return names


def _check_name(name: Any, param: str) -> None:
    if name is None:
        raise missing(param)
    if not isinstance(name, str):
        raise invalid_type(param, "a string", name)
    if len(name) > NAME_MAX:
        raise _too_long("name_too_long", param, name, NAME_MAX)
    if not NAME_PATTERN.match(name):
        raise Invalid(
            "name_pattern",
            f"Invalid '{param}': string does not match pattern. Expected a string that matches the pattern "
            f"'{NAME_PATTERN.pattern}'.",
            param,
            "invalid_value",
        )


def _check_description(description: Any, param: str) -> None:
    if not isinstance(description, str):
        raise invalid_type(param, "a string", description)
    if len(description) > DESCRIPTION_MAX:
        raise _too_long("description_too_long", param, description, DESCRIPTION_MAX)


def _too_long(rule: str, param: str, value: str, limit: int) -> Invalid:
    return Invalid(
        rule,
        f"Invalid '{param}': string too long. Expected a string with maximum length {limit}, but got a string with "
        f"length {len(value)} instead.",
        param,
        "string_above_max_length",
    )


def _check_parameters(name: str, schema: Any, param: str) -> None:
    if not isinstance(schema, dict):
        raise invalid_type(param, "an object", schema)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise Invalid(
            "invalid_schema", f"Invalid schema for function '{name}': {error.message}", param,
            "invalid_function_parameters",
        ) from None  # fmt: skip
    if schema.get("type") != "object":
        raise Invalid(
            "schema_not_object",
            f"Invalid schema for function '{name}': schema must be a JSON Schema of 'type: \"object\"', got "
            f"'type: \"{schema.get('type')}\"'.",
            param,
            "invalid_function_parameters",
        )


def _only_with_tools(param: str) -> Invalid:
    return Invalid(
        f"{param}_without_tools", f"Invalid value for '{param}': '{param}' is only allowed when 'tools' are specified.",
        param,
    )  # fmt: skip


def _check_tool_choice(body: Mapping[str, Any], tools: list[str] | None) -> None:
    if "tool_choice" not in body:
        return
    choice = body["tool_choice"]
    if tools is None:
        raise _only_with_tools("tool_choice")
    if isinstance(choice, str):
        if choice not in TOOL_CHOICE_MODES:
            raise unsupported_value("tool_choice", choice, TOOL_CHOICE_MODES)
        return
    if not isinstance(choice, dict):
        raise invalid_type("tool_choice", "one of a string or object", choice)
    if choice.get("type") == "allowed_tools":
        allowed = choice.get("allowed_tools")
        if not isinstance(allowed, dict):
            raise missing("tool_choice.allowed_tools")
        if allowed.get("mode") not in ("auto", "required"):
            raise unsupported_value("tool_choice.allowed_tools.mode", allowed.get("mode"), ("auto", "required"))
        listed = allowed.get("tools")
        if not isinstance(listed, list) or not listed:
            raise empty_array("tool_choice.allowed_tools.tools")
        for i, entry in enumerate(listed):
            _named_tool(entry, tools, f"tool_choice.allowed_tools.tools[{i}]")
        return
    if choice.get("type") != "function":
        raise unsupported_value("tool_choice.type", choice.get("type"), ("function", "allowed_tools"))
    _named_tool(choice, tools, "tool_choice")


def _named_tool(entry: Any, tools: list[str], param: str) -> None:
    function = entry.get("function") if isinstance(entry, dict) else None
    if not isinstance(function, dict) or "name" not in function:
        raise missing(f"{param}.function.name")
    if function["name"] not in tools:
        raise Invalid(
            "tool_choice_unknown_tool",
            f"Invalid value for '{param}': function '{function['name']}' is not one of the offered 'tools'.",
            param,
            "invalid_value",
        )


# --- messages ----------------------------------------------------------------------------------------------------


def _check_messages(messages: Any) -> None:
    if messages is None:
        raise missing("messages")
    if not isinstance(messages, list):
        raise invalid_type("messages", "an array", messages)
    if not messages:
        raise empty_array("messages")
    for i, message in enumerate(messages):
        _check_message(i, message)
    _check_pairing(messages)


def _kind(value: Any, where: str, key: str, supported: tuple[str, ...]) -> str:
    """`value[key]` of an object that must have it, among the `supported` values."""
    if not isinstance(value, dict):
        raise invalid_type(where, "an object", value)
    if key not in value:
        raise missing(f"{where}.{key}")
    if value[key] not in supported:
        raise unsupported_value(f"{where}.{key}", value[key], supported)
    return value[key]


def _check_message(i: int, message: Any) -> None:
    where = f"messages[{i}]"
    role = _kind(message, where, "role", ROLES)
    if role not in ACCEPTED_ROLES:
        raise unsupported_value(f"{where}.role", role, ROLES)
    for key in message:
        if key not in MESSAGE_FIELDS[role]:
            raise unexpected_property(key, f"messages.{i}")
    if "name" in message:
        _check_author(message["name"], f"{where}.name")
    CHECKS[role](i, message)


def _check_author(name: Any, param: str) -> None:
    if not isinstance(name, str):
        raise invalid_type(param, "a string", name)
    if not AUTHOR_PATTERN.match(name):
        raise Invalid(
            "author_pattern",
            f"Invalid '{param}': string does not match pattern. Expected a string that matches the pattern "
            f"'{AUTHOR_PATTERN.pattern}'.",
            param,
            "invalid_value",
        )


def _check_content(i: int, role: str, content: Any) -> None:
    where = f"messages[{i}].content"
    if isinstance(content, str):
        return
    if not isinstance(content, list):
        raise invalid_type(where, "one of a string or array of objects", content)
    if not content:
        raise empty_array(where)
    for j, part in enumerate(content):
        at = f"{where}[{j}]"
        kind = _kind(part, at, "type", ALL_PART_TYPES)
        if kind not in PART_TYPES[role]:
            raise Invalid(
                "part_type_for_role",
                f"Invalid value: '{kind}'. Supported values are: {' and '.join(repr(t) for t in PART_TYPES[role])}.",
                f"{at}.type",
                "invalid_value",
            )
        field = PART_FIELD[kind]
        if field not in part:
            raise missing(f"{at}.{field}")
        if kind in ("text", "refusal") and not isinstance(part[field], str):
            raise invalid_type(f"{at}.{field}", "a string", part[field])
        for key in part:
            if key not in ("type", field):
                raise unexpected_property(key, f"messages.{i}.content.{j}")


def _check_plain(i: int, message: Mapping[str, Any]) -> None:
    """system, developer and user messages: content is required."""
    if "content" not in message:
        raise missing(f"messages[{i}].content")
    _check_content(i, message["role"], message["content"])


def _check_tool_result(i: int, message: Mapping[str, Any]) -> None:
    _check_plain(i, message)
    call_id = message.get("tool_call_id")
    if call_id is None:
        raise missing(f"messages[{i}].tool_call_id")
    if not isinstance(call_id, str):
        raise invalid_type(f"messages[{i}].tool_call_id", "a string", call_id)


def _check_assistant(i: int, message: Mapping[str, Any]) -> None:
    content = message.get("content")
    if content is not None:
        _check_content(i, "assistant", content)
    calls = message.get("tool_calls")
    if calls is not None:
        _check_tool_calls(i, calls)
    said = content not in (None, "") or message.get("refusal") or message.get("audio") or message.get("function_call")
    if not said and not calls:
        raise Invalid(
            "empty_assistant_message",
            "Invalid value for 'content': expected a string, got null."
            if content is None
            else f"Invalid 'messages[{i}]': an assistant message needs non-empty 'content' or 'tool_calls'.",
            f"messages.[{i}].content",
        )


def _check_tool_calls(i: int, calls: Any) -> None:
    where = f"messages[{i}].tool_calls"
    if not isinstance(calls, list):
        raise invalid_type(where, "an array", calls)
    if not calls:
        raise Invalid("empty_tool_calls", f"[] is too short - 'messages.{i}.tool_calls'", where, "empty_array")
    for j, call in enumerate(calls):
        at = f"{where}[{j}]"
        if not isinstance(call, dict):
            raise invalid_type(at, "an object", call)
        for key in ("id", "type", "function"):
            if key not in call:
                raise missing(f"{at}.{key}")
        for key in call:
            if key not in ("id", "type", "function"):
                raise unexpected_property(key, f"messages.{i}.tool_calls.{j}")
        if not isinstance(call["id"], str):
            raise invalid_type(f"{at}.id", "a string", call["id"])
        if call["type"] != "function":
            raise unsupported_value(f"{at}.type", call["type"], ("function",))
        function = call["function"]
        if not isinstance(function, dict):
            raise invalid_type(f"{at}.function", "an object", function)
        _check_name(function.get("name"), f"{at}.function.name")
        arguments = function.get("arguments")
        if arguments is None:
            raise missing(f"{at}.function.arguments")
        if not isinstance(arguments, str):
            raise invalid_type(f"{at}.function.arguments", "a string", arguments)
        try:
            json.loads(arguments)
        except ValueError:
            raise Invalid(
                "arguments_not_json",
                f"Invalid '{at}.function.arguments': the function arguments must be a string of valid JSON.",
                f"{at}.function.arguments",
                "invalid_value",
            ) from None


CHECKS: Mapping[str, Callable[[int, Mapping[str, Any]], None]] = {
    "system": _check_plain,
    "developer": _check_plain,
    "user": _check_plain,
    "assistant": _check_assistant,
    "tool": _check_tool_result,
}


def _check_pairing(messages: Sequence[Mapping[str, Any]]) -> None:
    """Each assistant `tool_calls` is answered right after it by one tool message per call id; no orphan result."""
    call_seen: dict[str, int] = {}
    result_seen: dict[str, int] = {}
    pending: dict[str, int] = {}  # call ids of the latest assistant message still waiting for their result
    pending_at = -1
    for i, message in enumerate(messages):
        role = message["role"]
        if role == "tool":
            call_id = message["tool_call_id"]
            if call_id in result_seen:
                raise Invalid(
                    "duplicate_tool_result",
                    f"Invalid parameter: Duplicate value for 'tool_call_id' of '{call_id}', in "
                    f"messages[{result_seen[call_id]}] and messages[{i}].",
                    f"messages.[{i}].tool_call_id",
                )
            if call_id not in pending:
                raise Invalid("orphan_tool_result", ORPHAN_RESULT, f"messages.[{i}].role")
            result_seen[call_id] = i
            del pending[call_id]
            continue
        if pending:
            raise _unanswered(pending_at, pending)
        calls = (message.get("tool_calls") or ()) if role == "assistant" else ()
        for call in calls:
            if call["id"] in call_seen:
                raise Invalid(
                    "duplicate_tool_call_id",
                    f"Invalid parameter: Duplicate value for 'tool_calls.id' of '{call['id']}', in "
                    f"messages[{call_seen[call['id']]}] and messages[{i}].",
                    f"messages.[{i}].tool_calls",
                )
            call_seen[call["id"]] = i
            pending[call["id"]] = i
            pending_at = i
    if pending:
        raise _unanswered(pending_at, pending)


def _unanswered(at: int, pending: Mapping[str, int]) -> Invalid:
    return Invalid("tool_calls_unanswered", UNANSWERED.format(ids=", ".join(pending)), f"messages.[{at}].role")
