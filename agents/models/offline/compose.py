"""Answer text: tool results rendered as plain sentences, greetings, clarifying questions."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from agents.models.offline.profiles import ParamSpec
from agents.models.offline.text import stem

MAX_ITEMS = 8
MAX_STRING = 200
_TITLE_KEYS = ("name", "title", "product_name", "label")
_ID_KEYS = ("sku", "code", "id")
_MONEY_WORDS = frozenset(map(stem, ("price", "cost", "fee", "refund", "saving", "spend", "charge")))
_AMOUNT_WORDS = frozenset(map(stem, ("total", "subtotal", "amount", "discount", "balance")))
_COUNT_WORDS = frozenset(
    map(stem, ("quantity", "qty", "count", "unit", "item", "day", "hour", "review", "rating", "star"))
)
_PERCENT_WORDS = frozenset({"percent", "pct"})
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)?$")
_FLAG = re.compile(r"^(?:is|has|in|can|was)_")


def parse_result(result: Any) -> Any:
    """A function result as data: JSON text is decoded, anything else is kept."""
    if isinstance(result, str):
        try:
            return json.loads(result)
        except ValueError:
            return result
    return result


def _lower_first(text: str) -> str:
    """`text` with a lower-case first letter, unless it starts an acronym or code ("SKU", "ORD-1001")."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _label(key: str) -> str:
    return re.sub(r"[_\W]+", " ", key).strip()


def _value(key: str, value: Any, currency: str) -> str:
    """A scalar as a shopper reads it: money with its currency, percentages, dates, short text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        words = {stem(w) for w in _label(key).split()}
        amount = words & _AMOUNT_WORDS and isinstance(value, float) and not words & _COUNT_WORDS
        if words & _PERCENT_WORDS:
            return f"{value:g}%"
        if words & _MONEY_WORDS or amount:
            return f"${value:,.2f}" if currency == "USD" else f"{value:,.2f} {currency}"
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value).strip().rstrip(".")
    if m := _DATETIME.match(text):
        return m.group(1) if m.group(2) == "00:00" else f"{m.group(1)} {m.group(2)} UTC"
    return text if len(text) <= MAX_STRING else text[: MAX_STRING - 1].rstrip() + "…"


def _mentioned(text: str, said: str) -> bool:
    """Whether `said` (the result's own message) already states `text`."""
    return bool(said) and re.search(rf"(?<![\w.]){re.escape(text)}(?!\w)", said, re.IGNORECASE) is not None


def _fact(key: str, value: Any, currency: str, said: str) -> str | None:
    """ "label value" for one field, or None when the message already states it."""
    if isinstance(value, bool) and _FLAG.match(key):
        label = _label(_FLAG.sub("", key)) if key.startswith(("is_", "was_")) else _label(key)
        phrase = label if value else f"not {label}"
        return None if _mentioned(phrase, said) else phrase
    shown = _value(key, value, currency)
    return None if _mentioned(shown, said) else f"{_label(key)} {shown}"


def _title(data: Mapping[str, Any]) -> tuple[str, list[str]]:
    """A record's title, "Name (ID)" or "Order ORD-1001", and the keys it used."""
    name_key = next((k for k in _TITLE_KEYS if isinstance(data.get(k), str)), None)
    id_key = next((k for k in data if (k in _ID_KEYS or k.endswith("_id")) and isinstance(data[k], str | int)), None)
    if name_key and id_key:
        return f"{data[name_key]} ({data[id_key]})", [name_key, id_key]
    if name_key:
        return str(data[name_key]), [name_key]
    if id_key:
        kind = _label(id_key.removesuffix("_id")) if id_key.endswith("_id") else ""
        return f"{kind} {data[id_key]}".strip(), [id_key]
    return "", []


def _inline(data: Mapping[str, Any], currency: str, said: str = "") -> str:
    """One record on one line: its title, then its scalar and nested facts the message does not state."""
    title, used = _title(data)
    facts = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            nested = _inline(value, currency, said)
            facts.append(f"{_label(key)} {nested}" if nested else "")
        elif key not in used and key != "currency" and value is not None and not isinstance(value, list):
            facts.append(_fact(key, value, currency, said) or "")
    body = ", ".join(f for f in facts if f)
    if _named_in(data, used, said):
        return body
    return f"{title}: {body}" if title and body else title or body


def _named_in(data: Mapping[str, Any], title_keys: list[str], said: str) -> bool:
    """Whether the message already names this record (by its name or id)."""
    return any(_mentioned(str(data[k]), said) for k in title_keys)


def _more(shown: int, total: int) -> str:
    return f"and {total - shown} more" if total > shown else ""


def _items(key: str, items: Sequence[Any], currency: str, said: str) -> list[str]:
    """A list's lines: records the message does not name, one per line; plain values on one line."""
    if not any(isinstance(item, Mapping) for item in items):
        shown = ", ".join(_value(key, item, currency) for item in items[:MAX_ITEMS])
        return [" ".join(filter(None, (shown, _more(MAX_ITEMS, len(items)))))]
    fresh = [i for i in items if not (isinstance(i, Mapping) and _named_in(i, _title(i)[1], said))]
    lines = [
        "- " + (_inline(item, currency) if isinstance(item, Mapping) else _value(key, item, currency))
        for item in fresh[:MAX_ITEMS]
    ]
    return lines + ([f"- {_more(MAX_ITEMS, len(fresh))}"] if len(fresh) > MAX_ITEMS else [])


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _block(label: str, lines: list[str]) -> str:
    """A list under its label: a bulleted block for records, one sentence for plain values."""
    if lines[0].startswith("- "):
        return f"{_sentence(label)[:-1]}:\n" + "\n".join(lines)
    return _sentence(f"{label}: {lines[0]}")


def render(data: Any) -> str:
    """Plain sentences carrying the facts of one tool result (generic, whatever the tool)."""
    if isinstance(data, Mapping):
        return _render_record(data)
    if isinstance(data, list):
        return _block(f"I found {len(data)}", _items("result", data, "USD", "")) if data else "I found nothing."
    text = str(data).strip()
    if text.lower().startswith("error"):
        return "Sorry, that didn't work: " + _sentence(re.sub(r"^error:?\s*", "", text, flags=re.IGNORECASE))
    return _sentence(text) if text else "Done."


def _render_record(data: Mapping[str, Any]) -> str:
    """A result record: its error or message first, then the facts it does not state, lists last."""
    currency = str(data.get("currency") or "USD")
    lead = [str(data[k]).strip() for k in ("message", "error") if data.get(k)][:1]  # an error code is not prose
    prose = [_sentence(text) for text in lead]
    if data.get("error") and not data.get("message"):
        prose[0] = f"Sorry, {_lower_first(lead[0].rstrip('.').replace('_', ' '))}."
    said = " ".join(lead)
    rest = {k: v for k, v in data.items() if k not in ("error", "message")}
    lengths = {len(v) for v in rest.values() if isinstance(v, list)}
    scalars = {
        k: v for k, v in rest.items() if not isinstance(v, Mapping | list) and not ("count" in k and v in lengths)
    }
    prose.append(_sentence(_inline(scalars, currency, said)))
    blocks = []
    for key, value in rest.items():
        if isinstance(value, Mapping) and not said:  # with a message, nested details are what it summarises
            body = _inline(value, currency)
            prose.append(_sentence(f"{_label(key)}: {body}") if body else "")
        elif isinstance(value, list) and value and (lines := _items(key, value, currency, said)):
            blocks.append(_block(_label(key), lines))
    text = " ".join(p for p in prose if p)
    return "\n".join(p for p in (text, *blocks) if p) or "Done."


def answer_from_results(results: Sequence[Any]) -> str:
    """The answer to a turn from its tool results (raw function-result values)."""
    return "\n\n".join(render(parse_result(r)) for r in results)


def _listing(summaries: Sequence[str]) -> str:
    items = [_lower_first(s) for s in summaries if s]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def greeting(summaries: Sequence[str], *, unmatched: bool = False, farewell: bool = False) -> str:
    """What a front desk says to a greeting, a "what can you do?", a goodbye, or an ask it cannot place."""
    if farewell:
        return "Goodbye, and thanks for stopping by! Come back any time."
    offer = f"I can help you with {_listing(summaries)}." if summaries else "I'm here to help."
    opener = "I'm not sure I can help with that." if unmatched else "Hello! Welcome to the store's support chat."
    return f"{opener} {offer} What would you like to do?"


def acknowledgement() -> str:
    """A short reply to "thanks" or "ok"."""
    return "You're welcome! Is there anything else I can help you with?"


def outside(summaries: Sequence[str]) -> str:
    """The reply of an agent without a handoff to an ask outside its tools."""
    offer = f" I can help with {_listing(summaries)}." if summaries else ""
    return f"Sorry, that is outside what I can help with here.{offer}"


def clarification(missing: Sequence[ParamSpec]) -> str:
    """A question asking the shopper for the required values that are missing."""
    first = missing[0]
    subject = re.sub(r"\b(?:id|code|sku|number|name)s?\b", "", first.label).strip() or first.label
    if first.enum:
        detail = f"one of {', '.join(first.enum)}"
    elif first.description:
        detail = "the " + _lower_first(first.description.rstrip(". "))
    else:
        detail = f"the {first.label}"
    others = [p.label for p in missing[1:]]
    also = f" I will also need the {_listing(others)}." if others else ""
    return f"Which {subject} do you mean? Please give {detail}.{also}"
