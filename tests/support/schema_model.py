"""A small schema-driven test model for product-behaviour tests, as pydantic-ai's `TestModel` is.

It decides nothing from the wording of an ask: the test tells it, per shopper ask, which agent owns the
ask and which tools that agent calls (arguments the test leaves out are made from the tools' JSON
schemas). Any other agent hands off towards the owner, and the owner, once its tools have answered,
replies with their results as text, so what a test reads in a reply is what the store said.

`TestModel` is a policy of the Chat Completions double (`double.policy = TestModel(...)`); any policy
(`policy(agent, tools, messages)`, wire messages and tool declarations, returning a `Reply`) is also
the function model a test writes itself. `tests/support/scripted.py`'s `in_process` runs either one as
an in-process MAF chat client.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agents.definitions import ORCHESTRATOR
from agents.handoff_extension import handoff_tool_name, handoff_tool_target
from tests.support.chat_double.policies import message_text
from tests.support.chat_double.replies import Reply, ToolCall, text

Schema = Mapping[str, Any]


def arguments_for(schema: Schema, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The `given` arguments, plus a value made from `schema` for every other required property."""
    given = dict(given or {})
    properties = schema.get("properties") or {}
    defs = schema.get("$defs") or {}
    made = {name: value_for(properties.get(name) or {}, defs) for name in schema.get("required") or ()}
    return {**{k: v for k, v in made.items() if k not in given}, **given}


def value_for(schema: Schema, defs: Mapping[str, Schema] | None = None) -> Any:
    """A value valid under `schema`: its default, const, first enum value or example, else the simplest of its type."""
    defs = defs or {}
    if ref := schema.get("$ref"):
        return value_for(defs[ref.rsplit("/", 1)[-1]], defs)
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    for key in ("enum", "examples"):
        if schema.get(key):
            return schema[key][0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [s for s in schema.get(key) or () if s.get("type") != "null"]
        if options:
            return value_for(options[0], defs)
    kind = schema.get("type", "object")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "string":
        return "a" * max(1, int(schema.get("minLength") or 1))
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        return int(low) if kind == "integer" else float(low)
    if kind == "boolean":
        return False
    if kind == "array":
        return [value_for(schema.get("items") or {}, defs) for _ in range(int(schema.get("minItems") or 0))]
    if kind == "object":
        return arguments_for({"$defs": defs, **schema})
    return None


@dataclass(frozen=True)
class Ask:
    """Who owns a shopper ask, and the tools the owner calls with the argument values the test gives."""

    agent: str
    calls: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def shopper_ask(messages: Sequence[Mapping[str, Any]]) -> str:
    """The text of the latest user message."""
    return next((message_text(m) for m in reversed(messages) if m.get("role") == "user"), "")


def results_this_turn(messages: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(tool name, result text) of every non-handoff call answered since the latest user message."""
    start = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1) + 1
    names = {c["id"]: c["function"]["name"] for m in messages[start:] for c in m.get("tool_calls") or () if "id" in c}
    return [
        (names.get(m.get("tool_call_id"), "?"), message_text(m))
        for m in messages[start:]
        if m.get("role") == "tool" and handoff_tool_target(names.get(m.get("tool_call_id"), "")) is None
    ]


def compact(result: str) -> str:
    """A JSON result without the spaces between its parts (so it streams in few pieces); other text as is."""
    try:
        return json.dumps(json.loads(result), separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return result


class TestModel:
    """Routes each shopper ask to the agent `asks` names for it, which calls the tools named there.

    An ask is matched by the first key of `asks` it contains. The owner calls its tools once per turn
    (all its non-handoff tools if the ask names none), then answers `name: result` per tool result (JSON
    compacted).
    Another agent hands off to the owner if it can, else back to the orchestrator. An ask no key matches,
    or an agent with nothing to call, is answered with `answer`.
    """

    __test__ = False  # not a test class, whatever pytest's name rules say

    def __init__(self, asks: Mapping[str, Ask] | None = None, *, answer: str = "How can I help you today?") -> None:
        self.asks = dict(asks or {})
        self.answer = answer

    def owner(self, ask: str) -> Ask | None:
        """The plan for `ask`: exactly its key, else the first key it contains."""
        return self.asks.get(ask) or next((plan for key, plan in self.asks.items() if key in ask), None)

    def __call__(self, agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Reply:
        plan = self.owner(shopper_ask(messages))
        offered = {t["function"]["name"]: t["function"].get("parameters") or {} for t in tools}
        if plan is None:
            return text(self.answer)
        if plan.agent != agent:
            for target in (plan.agent, ORCHESTRATOR.name):
                if handoff_tool_name(target) in offered:
                    return Reply(tool_calls=(ToolCall(handoff_tool_name(target)),))
            return text(self.answer)
        if results := results_this_turn(messages):
            return text("\n".join(f"{name}: {compact(result)}" for name, result in results))
        wanted = plan.calls or {name: {} for name in offered if handoff_tool_target(name) is None}
        if not offered or not wanted:
            return text(self.answer)
        unknown = set(wanted) - set(offered)
        if unknown:
            raise LookupError(f"{agent} is not offered {sorted(unknown)}; it is offered {sorted(offered)}")
        return Reply(tool_calls=tuple(ToolCall(n, arguments_for(offered[n], given)) for n, given in wanted.items()))
