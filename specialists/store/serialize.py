"""Turning stored values into JSON-friendly ones: money as floats with cents, dates as ISO strings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


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


def iso_datetime(moment: datetime | None) -> str | None:
    """`2026-11-17T10:00:00Z`, the seed's own form."""
    return None if moment is None else as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(day: date | None) -> str | None:
    """`2026-11-20`."""
    return None if day is None else day.isoformat()
