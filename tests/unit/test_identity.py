"""Signed tokens: audience, expiry and signature are checked; reasons are clear."""

import time

import jwt
import pytest

from agents.identity import ORCHESTRATOR_ISSUER, RememberingTokenCodec, TokenCodec, TokenError, bearer_token

SECRET = "x" * 40


def test_round_trip_with_and_without_a_shopper():
    codec = TokenCodec(SECRET, ORCHESTRATOR_ISSUER)
    assert codec.verify(codec.mint("order-management", "CUST-001", 60), "order-management").customer_id == "CUST-001"
    anonymous = codec.verify(codec.mint("order-management", None, 60), "order-management")
    assert anonymous.anonymous


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (lambda c: c.mint("product-discovery", "CUST-001", 60), "not meant for this service"),
        (lambda c: c.mint("order-management", "CUST-001", -5), "expired"),
        (lambda c: TokenCodec("y" * 40, ORCHESTRATOR_ISSUER).mint("order-management", "CUST-001", 60), "signature"),
        (lambda c: TokenCodec(SECRET, "someone-else").mint("order-management", "CUST-001", 60), "invalid token"),
        (lambda c: "not-a-jwt", "invalid token"),
        (
            lambda c: jwt.encode(
                {"aud": "order-management", "iss": ORCHESTRATOR_ISSUER, "exp": time.time() + 60}, "k" * 64, "HS384"
            ),
            "invalid token",
        ),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(token, reason):
    codec = TokenCodec(SECRET, ORCHESTRATOR_ISSUER)
    with pytest.raises(TokenError, match=reason):
        codec.verify(token(codec), "order-management")


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer ", "token"])
def test_bearer_header_must_be_well_formed(header):
    with pytest.raises(TokenError):
        bearer_token(header)


def test_a_remembering_codec_decodes_a_token_once_and_still_refuses_it_once_expired(monkeypatch):
    codec = RememberingTokenCodec(SECRET, ORCHESTRATOR_ISSUER, kept=2)
    token = codec.mint("order-management", "CUST-001", 60)
    decoded: list[str] = []
    decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decoded.append(a[0]) or decode(*a, **k))
    assert codec.verify(token, "order-management") == codec.verify(token, "order-management")
    assert decoded == [token]
    with pytest.raises(TokenError, match="not meant for this service"):
        codec.verify(token, "pricing-promotions")
    for shopper in ("CUST-002", "CUST-003"):  # two newer tokens push the first one out
        codec.verify(codec.mint("order-management", shopper, 60), "order-management")
    codec.verify(token, "order-management")
    assert decoded.count(token) == 3

    brief = codec.mint("order-management", "CUST-001", 2)
    expires_at = codec.verify(brief, "order-management").expires_at
    time.sleep(max(0.0, expires_at - time.time()))
    with pytest.raises(TokenError, match="expired"):
        codec.verify(brief, "order-management")
