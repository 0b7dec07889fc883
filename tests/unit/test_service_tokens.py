"""The orchestrator's service tokens: one per specialist and shopper, renewed at half its lifetime."""

import time

from agents.identity import ORCHESTRATOR_ISSUER, TokenCodec
from orchestrator.proxy import ServiceTokens

SECRET = "s" * 40


def test_a_token_serves_one_specialist_and_shopper_until_half_its_lifetime(monkeypatch):
    tokens = ServiceTokens(SECRET, ttl_s=300)
    now = time.time() - 200  # minted in the past, so the renewed token is valid now
    monkeypatch.setattr(time, "time", lambda: now)
    first = tokens.for_call("order-management", "CUST-001")
    assert tokens.for_call("order-management", "CUST-001") == first
    others = {tokens.for_call("order-management", "CUST-002"), tokens.for_call("pricing-promotions", "CUST-001")}
    assert first not in others and len(others) == 2
    assert tokens.for_call("order-management", None) not in (first, *others)

    monkeypatch.setattr(time, "time", lambda: now + 149)
    assert tokens.for_call("order-management", "CUST-001") == first
    monkeypatch.setattr(time, "time", lambda: now + 150)
    renewed = tokens.for_call("order-management", "CUST-001")
    assert renewed != first
    monkeypatch.undo()
    identity = TokenCodec(SECRET, ORCHESTRATOR_ISSUER).verify(renewed, "order-management")
    assert identity.customer_id == "CUST-001" and identity.expires_at >= int(now) + 150 + 300
