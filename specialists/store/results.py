"""The shapes of the store's query results: JSON-ready dicts (money as floats, dates as ISO strings).

The tools add a prose `message` and hand them to the model as they are, so they stay plain dicts;
these `TypedDict`s name their keys and value types for the type checker.
"""

from __future__ import annotations

from typing import TypedDict


class CouponVerdict(TypedDict):
    """Whether a coupon applies to a cart, why, and what it takes off."""

    code: str
    description: str | None
    valid: bool
    reason: str
    discount: float
    eligible_subtotal: float
