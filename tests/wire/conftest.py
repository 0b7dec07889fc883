"""The whole system on OpenAI's wire: every agent's model is the strict Chat Completions double.

Each test plays a scripted policy (a function of the calling agent, the tools it is offered and the
request's messages), so what is proven is the mesh's own bookkeeping: whatever the agents decide, every
request the orchestrator and the specialists send is one the real API accepts.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.backends import OPENAI, Backend
from tests.support.chat_double import ChatDouble, Policy, call, chat_double, text
from tests.support.chat_double.policies import message_text
from tests.support.system import System, running_system, system_settings

ORDERS, STOCK, PRICES = "order-management", "inventory-fulfillment", "pricing-promotions"
TOPICS = {r"\border|ORD-\d+|track": ORDERS, r"\bstock\b|ship": STOCK, r"price|coupon|discount": PRICES}


def last_shopper_text(messages: Sequence[Mapping[str, Any]]) -> str:
    users = [message_text(m) for m in messages if m.get("role") == "user"]
    return users[-1] if users else ""


def owner_of(ask: str) -> str | None:
    return next((agent for pattern, agent in TOPICS.items() if re.search(pattern, ask, re.IGNORECASE)), None)


def tool_names(tools: Sequence[Mapping[str, Any]]) -> set[str]:
    return {t["function"]["name"] for t in tools}


def routing_policy(agent: str, tools: list[dict[str, Any]], messages: list[dict[str, Any]]) -> Any:
    """Like a sensible LLM: the orchestrator routes by topic; a specialist answers its own, hands back the rest."""
    ask = last_shopper_text(messages)
    owner = owner_of(ask)
    offered = tool_names(tools)
    if agent == "orchestrator":
        if owner and f"handoff_to_{owner}" in offered:
            return call(f"handoff_to_{owner}")
        return text("Hello! I can help with orders, stock, prices, reviews and products.")
    if owner not in (None, agent) and "handoff_to_orchestrator" in offered:
        return call("handoff_to_orchestrator")
    return text(f"{agent} here: about '{ask[:40]}', here is what I found.")


@dataclass
class WireSystem:
    """The system under test and the double all its agents call."""

    system: System
    double: ChatDouble

    async def ask(self, message: str, conversation_id: str | None = None, customer: str | None = "CUST-001") -> Any:
        response = await self.system.chat(message, conversation_id, customer=customer)
        return response

    def violations(self) -> list[str]:
        return [f"{r.agent}: {v.rule}: {v.message}" for r, v in self.double.violations]


@pytest.fixture
def policy() -> Policy:
    return routing_policy


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture
async def wire(tmp_path, policy: Policy, settings_overrides: dict[str, Any]) -> AsyncIterator[WireSystem]:
    async with chat_double(policy) as double:
        overrides = {**Backend(OPENAI, double).overrides, "model_max_retries": 2, **settings_overrides}
        async with running_system(system_settings(tmp_path, **overrides)) as system:
            yield WireSystem(system, double)
