"""Who is asking: the verified shopper identity of the A2A request being served."""

from __future__ import annotations

from contextvars import ContextVar

_CUSTOMER_ID: ContextVar[str | None] = ContextVar("customer_id", default=None)


def current_customer_id() -> str | None:
    """The signed-in shopper's customer id for this request, or None for an anonymous shopper."""
    return _CUSTOMER_ID.get()


def set_customer_id(customer_id: str | None) -> object:
    """Bind the shopper for the running task; returns a token for `reset_customer_id`."""
    return _CUSTOMER_ID.set(customer_id)


def reset_customer_id(token: object) -> None:
    """Undo `set_customer_id`."""
    _CUSTOMER_ID.reset(token)  # type: ignore[arg-type]
