"""Signed identity tokens (HS256 JWTs).

Two kinds travel in the system:
- shopper tokens, signed by the storefront and presented to the chat API;
- service tokens, minted by the orchestrator for one specialist (`aud`) and one shopper (the customer
  id, absent for anonymous shoppers), living a few minutes and carried by that pair's A2A calls for
  the first half of their life.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import TypeVar

import jwt

from agents.errors import EcommerceAgentsError

K = TypeVar("K")
V = TypeVar("V")

ALGORITHM = "HS256"
STOREFRONT_ISSUER = "ecommerce-agents-storefront"
STOREFRONT_AUDIENCE = "storefront-chat"
ORCHESTRATOR_ISSUER = "ecommerce-agents-orchestrator"


class TokenError(EcommerceAgentsError):
    """A token is missing, malformed, forged, expired or meant for someone else."""


@dataclass(frozen=True)
class Identity:
    """Who a verified token speaks for."""

    customer_id: str | None
    audience: str
    expires_at: int

    @property
    def anonymous(self) -> bool:
        """True when no shopper is signed in."""
        return self.customer_id is None


@dataclass(frozen=True)
class TokenCodec:
    """Mints and verifies tokens of one issuer with one shared secret."""

    secret: str
    issuer: str

    def mint(self, audience: str, customer_id: str | None, ttl_s: int) -> str:
        """A token for `audience`, valid `ttl_s` seconds, naming `customer_id` (or nobody)."""
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": self.issuer,
            "aud": audience,
            "iat": now,
            "exp": now + ttl_s,
            "jti": uuid.uuid4().hex,
        }
        if customer_id is not None:
            claims["sub"] = customer_id
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def verify(self, token: str, audience: str) -> Identity:
        """Check signature, issuer, audience and expiry; raise `TokenError` with a reason otherwise."""
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=self.issuer,
                options={"require": ["exp", "aud", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise TokenError("token expired") from None
        except jwt.InvalidAudienceError:
            raise TokenError("token is not meant for this service") from None
        except jwt.InvalidSignatureError:
            raise TokenError("token signature is invalid") from None
        except jwt.PyJWTError as exc:
            raise TokenError(f"invalid token: {exc}") from None
        return Identity(customer_id=claims.get("sub"), audience=audience, expires_at=int(claims["exp"]))


@dataclass(frozen=True)
class RememberingTokenCodec(TokenCodec):
    """A codec whose `verify` remembers the tokens that passed (the newest `kept`) until they expire.

    The same token has the same signature, issuer and audience, so only its expiry is checked again:
    a service that is called many times with one token decodes it once.
    """

    kept: int = 1024
    _passed: dict[tuple[str, str], Identity] = field(default_factory=dict, compare=False, repr=False)

    def verify(self, token: str, audience: str) -> Identity:
        """As `TokenCodec.verify`, from memory for a token that passed before and has not expired."""
        key = (token, audience)
        known = self._passed.pop(key, None)
        if known is None or time.time() >= known.expires_at:
            known = super().verify(token, audience)  # raises for an expired token too
        return keep_newest(self._passed, key, known, self.kept)


def keep_newest(recent: dict[K, V], key: K, value: V, kept: int) -> V:
    """Put `value` at `key` as the newest entry of `recent`, dropping the oldest beyond `kept`; returns `value`.

    `recent` keeps insertion order, so a key popped and put back again is the newest.
    """
    if len(recent) >= kept:
        del recent[next(iter(recent))]
    recent[key] = value
    return value


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; `TokenError` when absent or malformed."""
    if not authorization:
        raise TokenError("missing bearer token")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenError("authorization header must be 'Bearer <token>'")
    return token.strip()
