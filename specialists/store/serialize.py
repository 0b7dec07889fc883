"""Turning stored values into JSON-friendly ones: money as floats with cents, dates as ISO strings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

CENT = Decimal("0.01")
_T = TypeVar("_T")


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """An exact decimal for `value` (floats go through their shortest repr, so 5.99 stays 5.99)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def cents(value: float | int | Decimal) -> Decimal:
    """`value` rounded half-up to whole cents."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: float | int | Decimal) -> float:
    """`value` as a float rounded to cents, for results."""
    return float(cents(value))


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime; naive values (SQLite) are UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_datetime(moment: datetime) -> str:
    """`2026-11-17T10:00:00Z`, the seed's own form."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(day: date) -> str:
    """`2026-11-20`."""
    return day.isoformat()


def optional(convert: Callable[[_T], str], value: _T | None) -> str | None:
    """`convert(value)`, or None for a value the store does not have."""
    return None if value is None else convert(value)
