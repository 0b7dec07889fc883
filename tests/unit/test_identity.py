"""Signed tokens: audience, expiry and signature are checked; reasons are clear."""

import time

import jwt
import pytest

from agents.identity import ORCHESTRATOR_ISSUER, TokenCodec, TokenError, bearer_token

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
