"""Actions that change the store wait for the shopper's explicit yes in the next turn."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

ActionHandler = Callable[[str | None, Mapping[str, Any]], Awaitable[dict[str, Any]]]

_YES = re.compile(
    r"^\s*(yes|yeah|yep|yup|y|sure|confirm(ed)?|go ahead|please do|do it|ok(ay)?,? (do it|go ahead|cancel it))"
    r"\b(?!.*\b(no|not|don'?t|wait)\b)",
    re.IGNORECASE,
)


def is_explicit_yes(text: str) -> bool:
    """True only for an unambiguous confirmation ("yes", "yes please, cancel it", "confirm")."""
    return bool(_YES.match(text.strip()))


_NO = re.compile(
    r"^\s*(no|nope|nah|n|don'?t|do not|never ?mind|keep it|stop|cancel that)\b[\s\w,.!']{0,40}$", re.IGNORECASE
)


def is_explicit_no(text: str) -> bool:
    """True for a plain refusal ("no", "no thanks", "never mind")."""
    return bool(_NO.match(text.strip()))


def describe_declined(action: Mapping[str, Any]) -> str:
    """What the shopper is told when a pending action is dropped."""
    subject = action.get("order_id") or "it"
    return f"No problem, I left {subject} as it was."
