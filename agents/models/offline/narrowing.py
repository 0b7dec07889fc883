"""A listing narrowed by a condition the ask puts on a field its tool filters by one value at most.

"which of my orders haven't shipped yet" or "which are placed or processing" is a listing of orders whose
status meets a condition the status filter cannot take (a negation, two values): a model lists them all
and states only the records that meet it. A negated value keeps the values before it in the parameter's
list of values, which runs in the order things happen (placed, processing, shipped, delivered): an order
that hasn't shipped is placed or processing, not delivered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from agents.models.offline.arguments import enum_mentions
from agents.models.offline.compose import parse_result
from agents.models.offline.profiles import ParamSpec, ToolProfile


def condition(param: ParamSpec, ask: str) -> frozenset[str] | None:
    """The values of `param` the ask's condition keeps; None when it names none of them, or just one, which
    the tool's filter took itself ("any deals on kitchen gear?")."""
    mentions = enum_mentions(param, ask)
    named = {value for value, negated in mentions if not negated}
    if len(named) < 2 and not any(negated for _, negated in mentions):
        return None
    kept = named or set(param.enum)
    for value, negated in mentions:
        if negated:
            kept &= set(param.enum[: param.enum.index(value)])
    return frozenset(kept)


def _records(data: Mapping[str, Any], field: str) -> tuple[str, list[Mapping[str, Any]]] | None:
    """The key and records of the result's list of records holding `field`."""
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(r, Mapping) and field in r for r in value):
            return key, value
    return None


def _names(record: Mapping[str, Any]) -> list[str]:
    """What names a record in a listing's text: its identifiers and name."""
    return [str(v) for k, v in record.items() if (k.endswith("_id") or k in ("sku", "name")) and v]


def narrowed(ask: str, profile: ToolProfile, result: Any) -> Any:
    """The listing `result` with only the records meeting the ask's condition on a field its tool filters by
    (its message saying so); the result as it was when the ask puts none, or every record meets it."""
    data = parse_result(result)
    if not isinstance(data, Mapping) or not isinstance(data.get("message"), str):
        return result
    for param in (p for p in profile.params if p.enum and not p.required):
        found = _records(data, param.name)
        kept_values = condition(param, ask) if found else None
        if found is None or kept_values is None:
            continue
        key, records = found
        kept = [r for r in records if r[param.name] in kept_values]
        if len(kept) == len(records):
            return result
        message = _message(data["message"], records, kept, param, kept_values)
        return result if message is None else {**data, key: kept, "message": message}
    return result


def _listing_message(message: str) -> tuple[str, list[str]]:
    """A listing's message as its head and its items, one per record ("You have 2 orders: A; B." ->
    "You have 2 orders", ["A", "B"]); no items when it lists none after a colon."""
    head, _, body = message.rstrip(".").partition(": ")
    return head, body.split("; ") if body else []


def _message(
    message: str,
    records: Sequence[Mapping[str, Any]],
    kept: Sequence[Mapping[str, Any]],
    param: ParamSpec,
    kept_values: frozenset[str],
) -> str | None:
    """The listing's message with only the kept records' items ("You have 5 orders, newest first. Of those, 2
    are processing or shipped: ..."); None when its items do not name one record each."""
    head, items = _listing_message(message)
    if not items or len(items) != len(records):
        return None
    shown = [item for item in items if any(any(n in item for n in _names(r)) for r in kept)]
    if len(shown) != len(kept):
        return None
    said = [v for v in param.enum if v in ({r[param.name] for r in kept} or kept_values)]
    values = " or ".join(v.replace("_", " ") for v in said)
    if not kept:
        return f"{head}; none of them is {values}."
    verb = "is" if len(kept) == 1 else "are"
    return f"{head}. Of those, {len(kept)} {verb} {values}: {'; '.join(shown)}."


def others_only(result: Any, spoken_of: Callable[[str], Any]) -> Any:
    """The listing `result` without the record the conversation spoke of before (`spoken_of` gives the value
    an earlier call passed for a field), for an ask after the others ("what about my other orders?" after
    ORD-1001): its message says which it leaves out. The result as it was when it lists no such record."""
    data = parse_result(result)
    if not isinstance(data, Mapping) or not isinstance(data.get("message"), str):
        return result
    for key, records in data.items():
        if not (isinstance(records, list) and records and all(isinstance(r, Mapping) for r in records)):
            continue
        field = next((k for k in records[0] if k.endswith("_id") or k == "sku"), None)
        spoken = spoken_of(field) if field else None
        left = [r for r in records if r.get(field) != spoken]
        if spoken is None or not left or len(left) == len(records):
            continue
        head, items = _listing_message(data["message"])
        if len(items) != len(records):
            return result
        shown = [item for item in items if str(spoken) not in item]
        return {**data, key: left, "message": f"{head}. Besides {spoken}: {'; '.join(shown)}."}
    return result
