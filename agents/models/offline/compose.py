"""Answer text: tool results as a store assistant says them, greetings, clarifying questions."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from agents.models.offline.lexicon import word_meanings
from agents.models.offline.profiles import ParamSpec
from agents.models.offline.text import stem

MAX_ITEMS = 8
MAX_DIFFERENCES = 4
MAX_STRING = 200
_TITLE_KEYS = ("name", "title", "product_name", "label")
_ID_KEYS = ("sku", "code", "id")
_MONEY_WORDS = frozenset(map(stem, ("price", "cost", "fee", "refund", "saving", "spend", "charge")))
_AMOUNT_WORDS = frozenset(map(stem, ("total", "subtotal", "amount", "discount", "balance")))
_COUNT_WORDS = frozenset(
    map(stem, ("quantity", "qty", "count", "unit", "item", "day", "hour", "review", "rating", "star"))
)
_PERCENT_WORDS = frozenset({"percent", "pct"})
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)?)?\b")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_result(result: Any) -> Any:
    """A function result as data: JSON text is decoded, anything else is kept."""
    if isinstance(result, str):
        try:
            return json.loads(result)
        except ValueError:
            return result
    return result


def listed_records(result: Any) -> list[dict[str, Any]]:
    """The records of a listing result (the first list of several named records in it)."""
    data = parse_result(result)
    if not isinstance(data, dict):
        return []
    for value in data.values():
        if isinstance(value, list) and len(value) > 1 and all(isinstance(v, dict) and "name" in v for v in value):
            return value
    return []


def result_records(result: Any) -> list[dict[str, Any]]:
    """Every record the result lists, named or not (orders, coupons, tiers), in the order given."""
    data = parse_result(result)
    lists = [data] if isinstance(data, list) else list(data.values()) if isinstance(data, dict) else []
    return [r for v in lists if isinstance(v, list) for r in v if isinstance(r, dict)]


def _lower_first(text: str) -> str:
    """`text` with a lower-case first letter, unless it starts an acronym or code ("SKU", "ORD-1001")."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _label(key: str) -> str:
    return re.sub(r"[_\W]+", " ", key).strip()


def _day(m: re.Match[str]) -> str:
    month = int(m.group(2))
    return f"{_MONTHS[month - 1]} {int(m.group(3))}, {m.group(1)}" if 1 <= month <= 12 else m.group()


def humanise(text: str) -> str:
    """Text as a person writes it: dates as "Nov 21, 2026" rather than ISO, a capital and a full stop."""
    return _sentence(_ISO_DAY.sub(_day, text.strip()))


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
    text = _ISO_DAY.sub(_day, str(value).strip().rstrip("."))
    return text if len(text) <= MAX_STRING else text[: MAX_STRING - 1].rstrip() + "…"


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


def _inline(data: Mapping[str, Any], currency: str) -> str:
    """One record on one line: its title, then its scalar facts ("Headlamp (OUT-306): price $39.00")."""
    title, used = _title(data)
    facts = [
        f"{_label(k)} {_inline(v, currency) if isinstance(v, Mapping) else _value(k, v, currency)}"
        for k, v in data.items()
        if k not in used and k != "currency" and v not in (None, {}) and not isinstance(v, list)
    ]
    body = ", ".join(facts)
    return f"{title}: {body}" if title and body else title or body


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _flag(key: str, value: bool) -> str | None:
    """ "in stock" / "not in stock" for a yes-no field named like a state ("in_stock", "is_valid")."""
    if not re.match(r"^(?:is|has|in|can|was)_", key):
        return None
    label = _label(re.sub(r"^(?:is|was)_", "", key))
    return label if value else f"not {label}"


def _record(data: Mapping[str, Any]) -> str:
    """A record without a message of its own: its title and facts on one line, its lists as bullets."""
    currency = str(data.get("currency") or "USD")
    flags = [f for k, v in data.items() if isinstance(v, bool) and (f := _flag(k, v))]
    rest = {k: v for k, v in data.items() if not (isinstance(v, bool) and _flag(k, v))}
    line = _inline(rest, currency)
    head = _sentence(", ".join(p for p in (line, *flags) if p))
    lists = [
        f"{_sentence(_label(k))[:-1]}:\n" + "\n".join(f"- {_inline(i, currency)}" for i in v[:MAX_ITEMS])
        for k, v in data.items()
        if isinstance(v, list) and v and all(isinstance(i, Mapping) for i in v)
    ]
    return "\n".join(p for p in (head, *lists) if p) or "Done."


def render(data: Any) -> str:
    """What a tool result says to the shopper: its own message when it has one, else its facts in brief;
    for a result setting things side by side, then the features that differ between them."""
    if isinstance(data, Mapping):
        if data.get("error") and not data.get("message"):
            return f"Sorry, {_lower_first(str(data['error']).rstrip('.').replace('_', ' '))}."
        table = _table(data)
        rest = {k: v for k, v in data.items() if k != table}
        text = humanise(str(data["message"])) if data.get("message") else _record(rest)
        if table is None:
            return text
        return f"{text} {_differences(data[table], str(data.get('currency') or 'USD'))}"
    if isinstance(data, list):
        if not data:
            return "I found nothing."
        lines = [_inline(d, "USD") if isinstance(d, Mapping) else _value("", d, "USD") for d in data[:MAX_ITEMS]]
        more = [f"and {len(data) - MAX_ITEMS} more"] if len(data) > MAX_ITEMS else []
        return _sentence(lines[0]) if len(lines) == 1 else "\n".join(f"- {line}" for line in [*lines, *more])
    text = str(data).strip()
    if text.lower().startswith("error"):
        return "Sorry, that didn't work: " + _sentence(re.sub(r"^error:?\s*", "", text, flags=re.IGNORECASE))
    return humanise(text) if text else "Done."


_NOT_ASKED = frozenset({"id", "sku", "name", "currency", "count", "query", "message", "error", "reason", "criteria"})
_UNITS = frozenset({"kg", "g", "l", "in", "cm", "mm", "hours", "days", "w", "hz", "bar", "c", "each", "ohm"})


_UNIT_SPELLING = {"l": "L", "w": "W", "hz": "Hz", "c": "°C"}


# What a count is of, written after the number as a unit is when a value is shown ("capacity: 4 people"),
# though it is what the field is about when an ask names it ("how many people").
_SHOWN_UNITS = _UNITS | {"people"}


def _parts(key: str, units_of: frozenset[str] = _UNITS) -> tuple[list[str], list[str]]:
    """A field name's words before the units it ends with, and those units ("weight_g_each" -> ["weight"],
    ["g", "each"]; "usb_c_pd_w" -> ["usb", "c", "pd"], ["w"])."""
    parts = [p for p in key.lower().split("_") if p]
    units: list[str] = []
    while len(parts) > 1 and parts[-1] in units_of:
        units.insert(0, parts.pop())
    return parts, units


def _with_units(shown: str, units: Sequence[str]) -> str:
    """A value with its units as people write them ("1.6 kg", "2 L", "-5°C")."""
    return " ".join([shown, *(_UNIT_SPELLING.get(u, u) for u in units)]).replace(" °", "°")


def _listed_ids(data: Mapping[str, Any]) -> set[str]:
    """The identifiers of the records a result lists ("AUD-100", "AUD-101" of its products)."""
    records = [r for v in data.values() if isinstance(v, list) for r in v if isinstance(r, Mapping)]
    return {str(r[k]) for r in records for k in r if (k in _ID_KEYS or k.endswith("_id")) and r[k] is not None}


def _table(data: Mapping[str, Any]) -> str | None:
    """The field of a result that sets the things it lists side by side: each of its entries (a feature) maps
    two or more of their identifiers to their values ("attributes": {"battery_hours": {"AUD-100": 40, ...}})."""
    listed = _listed_ids(data)
    for key, value in data.items():
        rows = list(value.values()) if isinstance(value, Mapping) else []
        if not rows or not all(isinstance(r, Mapping) and len(r) > 1 and set(r) <= listed for r in rows):
            continue
        if len({tuple(r) for r in rows}) == 1 and not any(isinstance(c, Mapping) for r in rows for c in r.values()):
            return key
    return None


def _compared(key: str, row: Mapping[str, Any], currency: str) -> str:
    """A feature's values side by side, as a person contrasts them: "battery: 40 hours vs 30 hours",
    "noise cancelling vs no noise cancelling"."""
    named, units = _parts(key, _SHOWN_UNITS)
    name = " ".join(named)

    def shown(value: Any) -> str:
        if value is None:
            return "not listed"
        if isinstance(value, bool):
            return name if value else f"no {name}"
        text = ", ".join(map(str, value)) if isinstance(value, list) else _value(key, value, currency)
        return _with_units(text, units)

    said = " vs ".join(shown(v) for v in row.values())
    return said if all(v is None or isinstance(v, bool) for v in row.values()) else f"{name}: {said}"


def _differences(table: Mapping[str, Mapping[str, Any]], currency: str) -> str:
    """What sets the things of a side-by-side table apart: the features whose values differ."""
    differ = [(k, row) for k, row in table.items() if len({json.dumps(v, sort_keys=True) for v in row.values()}) > 1]
    if not differ:
        return "Their listed features are the same."
    said = [_compared(k, row, currency) for k, row in differ[:MAX_DIFFERENCES]]
    more = [f"and {len(differ) - MAX_DIFFERENCES} more"] if len(differ) > MAX_DIFFERENCES else []
    return _sentence("; ".join([*said, *more]))


def _head(key: str) -> str:
    """What a field is about: its last word that is not a unit ("shipping_cost" -> cost, "weight_kg" -> weight)."""
    named, _ = _parts(key)
    return stem(named[-1]) if named else ""


MAX_ASKED = 3
NOTHING_ASKED: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def _asked_facts(data: Mapping[str, Any], asked: tuple[frozenset[str], frozenset[str]], said: str) -> list[str]:
    """Facts of a result's fields that the ask names and its message does not state: a field whose last
    word the ask's words or their meanings name, and, for a field of several words, whose others its
    words name too ("what did I pay for shipping": the shipping cost, not for "what did it cost"); in a
    list of records, only of the records the ask names, each said with its name."""
    own, meant = asked
    found: list[str] = []
    currency = str(data.get("currency") or "USD")

    def visit(record: Mapping[str, Any], depth: int, told: set[str], whose: str) -> None:
        for key, value in record.items():
            parts = {stem(part) for part in key.split("_")}
            if parts & _NOT_ASKED or value is None or isinstance(value, bool):
                continue
            if isinstance(value, Mapping) and depth < 2:
                visit(value, depth + 1, told, whose)
            elif isinstance(value, list) and depth < 2:
                for item in (i for i in value if isinstance(i, Mapping)):
                    title = _title(item)[0]
                    if {stem(w) for w in re.findall(r"\w+", title)} & own:
                        visit(item, depth + 1, set(), f"{title} " if title else "")
            elif not isinstance(value, list | Mapping) and value not in (0, ""):
                head = _head(key)
                modifiers = {stem(p) for p in _parts(key)[0]} - {head}
                if head in told or not _names(key, meant) or (modifiers and not modifiers & own):
                    continue
                told.add(head)
                shown = _value(key, value, currency)
                if shown not in said and str(value) not in said:
                    found.append(f"{whose}{_fact(key, shown)}")

    visit(data, 0, set(), "")
    return list(dict.fromkeys(found))[:MAX_ASKED]


def _names(key: str, meant: Collection[str]) -> bool:
    """Whether the `meant` terms name a field by its last word or that word's meaning ("how much": the
    shipping cost, a cost being an amount)."""
    word = _parts(key)[0][-1]
    return stem(word) in meant or bool(set().union(*word_meanings(word).values()) & set(meant))


def _field_words(data: Any, depth: int = 0) -> set[str]:
    """The words of a result's scalar fields that are not units, nested records and lists of records
    included ("shipping", "cost"; "capacity", "people")."""
    if isinstance(data, list):
        return set().union(*(_field_words(i, depth) for i in data if isinstance(i, Mapping)))
    if not isinstance(data, Mapping) or depth > 2:
        return set()
    scalar = [k for k, v in data.items() if not isinstance(v, Mapping | list | bool) and v is not None]
    found = {word for key in scalar for word in _parts(key)[0]}
    return found.union(*(_field_words(v, depth + 1) for v in data.values() if isinstance(v, Mapping | list)))


def states_field(results: Sequence[Any], meant: Collection[str]) -> bool:
    """Whether a field of the results is what the `meant` terms ask for, by a word of its name or that
    word's meaning ("how much": a price; the shipping option's cost is one; "how many people": the
    capacity in people)."""
    found: set[str] = set()
    for result in results:
        data = parse_result(result)
        if isinstance(data, Mapping) and not data.get("error"):
            found |= _field_words(data) - _NOT_ASKED
    return any(_names(word, meant) for word in found)


def _fact(key: str, shown: str) -> str:
    """ "weight: 1.6 kg" for weight_kg, "shipping cost: $5.99" for shipping_cost."""
    named, units = _parts(key, _SHOWN_UNITS)
    return f"{' '.join(named)}: {_with_units(shown, units)}" if units else f"{_label(key)}: {shown}"


def answer_from_results(results: Sequence[Any], asked: tuple[frozenset[str], frozenset[str]] = NOTHING_ASKED) -> str:
    """The answer to a turn from its tool results (raw function-result values), with the facts of their
    fields that the `asked` terms (the ask's words, then their meanings) name and their messages leave out."""
    answers = []
    for result in results:
        data = parse_result(result)
        text = render(data)
        answered = isinstance(data, Mapping) and data.get("message") and not data.get("error")
        if answered and (facts := _asked_facts(data, asked, text)):
            text += " " + _sentence("; ".join(facts))
        answers.append(text)
    return "\n\n".join(answers)


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


def acknowledgement(*, declined: bool = False, subject: str | None = None) -> str:
    """A short reply to "thanks" or "ok", or to a "no" to what was proposed (about `subject`)."""
    if declined:
        return f"All right, I'll leave {subject or 'it'} as it is. Is there anything else I can help you with?"
    return "You're welcome! Is there anything else I can help you with?"


def outside(summaries: Sequence[str]) -> str:
    """The reply of an agent without a handoff to an ask outside its tools."""
    offer = f" I can help with {_listing(summaries)}." if summaries else ""
    return f"Sorry, that is outside what I can help with here.{offer}"


_ID_WORDS = re.compile(r"\b(?:id|code|sku|number|name)s?\b", re.IGNORECASE)
_WAYS = re.compile(r"\b(id|code|sku|number|name)s?\b", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:the|a|an|its|each|one)\s+", re.IGNORECASE)
_EXAMPLE = re.compile(r"\b(?:e\.g\.|for example|such as)\s*:?\s*['\"]?([^,;)'\"]+?)['\"]?(?=[,;)]|$)", re.IGNORECASE)


def _subject(param: ParamSpec) -> str:
    """What a parameter names, in a shopper's words: its name without the kind of identifier ("order id" ->
    order), else its description's opening phrase without one ("code": "The coupon code, ..." -> coupon)."""
    opening = _ARTICLE.sub("", re.split(r"[:,;(]|\be\.g\.", param.description, maxsplit=1)[0].strip())
    for text in (param.label, opening):
        if subject := re.sub(r"\s+", " ", _ID_WORDS.sub("", text)).strip():
            return subject
    return param.label


def _ways(param: ParamSpec) -> list[str]:
    """The kinds of identifier a parameter's description (its first clause) says it takes, a name first, as
    its description spells them ("The product: its SKU, ... or its name" -> name, SKU)."""
    clause = param.description.split(";", 1)[0]
    found = list(dict.fromkeys(m.group(1) for m in _WAYS.finditer(clause)))
    return sorted(found, key=lambda w: w.lower() != "name")


def clarification(missing: Sequence[ParamSpec]) -> str:
    """A question asking the shopper for the required values that are missing, in words derived from the
    first one's schema: what it names, the kinds of identifier it takes and its example ("Which product do
    you mean? Please give the product name or SKU, e.g. OUT-300."), never its description for the model."""
    first = missing[0]
    subject = _subject(first)
    if first.enum:
        detail = f"one of {', '.join(first.enum)}"
    else:
        several = first.kind == "array"
        ways = [f"{w}s" if several else w for w in _ways(first)]
        named = re.sub(r"s$", "", subject) if several and ways else subject
        detail = f"the {named} {' or '.join(ways)}" if ways else f"the {subject}"
        example = _EXAMPLE.search(first.description)
        detail += f", e.g. {example.group(1).strip()}" if example else ""
    others = [p.label for p in missing[1:]]
    also = f" I will also need the {_listing(others)}." if others else ""
    return f"Which {subject} do you mean? Please give {detail}.{also}"
