"""Turns of more than one call: finding an identifier the shopper did not give, and searching again.

"Did my grinder get delivered?" names no order: a model lists the shopper's orders first and tracks the
one holding a grinder. A search that finds nothing with every word of the ask is tried again with fewer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from agents.models.offline.compose import parse_result
from agents.models.offline.conversation import Step
from agents.models.offline.lexicon import (
    PHRASE_ONLY_TERMS,
    asked_kinds,
    corrected,
    is_generic,
    is_kind_of,
    is_product_kind,
    place_phrase_spans,
    related_words,
    shopper_states,
    state_remedies,
    without_fixed_phrases,
)
from agents.models.offline.measures import fails_need, stated_amounts
from agents.models.offline.profiles import ParamSpec, ToolProfile, vocabulary
from agents.models.offline.text import (
    ACKNOWLEDGEMENTS,
    COUNT_WORDS,
    in_compound,
    is_request_verb,
    measure,
    stem,
    text_terms,
    without_spans,
    words,
)

MAX_RETRIES = 4
_ID_WORDS = frozenset({"id", "ids", "code", "number", "sku"})


def _subject(param: ParamSpec) -> set[str]:
    """What an identifier parameter identifies ("order_id" -> {"order"})."""
    return {stem(w) for w in param.name_words - _ID_WORDS if w}


def lookup_tool(param: ParamSpec, domain: Sequence[ToolProfile]) -> ToolProfile | None:
    """A tool that lists what `param` identifies and needs no value itself ("list_my_orders" for "order_id")."""
    if not param.strict or param.enum:
        return None
    subject = _subject(param)
    for p in domain:
        listing = not any(q.required for q in p.params) and not any(q.name == param.name for q in p.params)
        if listing and subject & {stem(w) for w in re.split(r"[_\W]+", p.name)}:
            return p
    return None


def leftover_words(ask: str, domain: Sequence[ToolProfile]) -> list[str]:
    """The ask's words that none of the tools' vocabulary knows: what it names ("grinder", "standing desk"); a
    phrase that is one word ("free shipping") and a place ("from the reno warehouse") name nothing."""
    known = vocabulary(tuple(domain))
    plain = without_spans(ask, place_phrase_spans(ask))
    return [
        w.lower
        for w in words(without_fixed_phrases(corrected(plain, known)))
        if not w.is_filler
        and not w.is_code
        and not w.text.isdigit()
        and not is_generic(w.lower)
        and w.lower not in ACKNOWLEDGEMENTS
        and not is_request_verb(w.lower)
        and stem(w.lower) not in known
        and stem(w.lower) not in PHRASE_ONLY_TERMS  # "what did i buy back in october": no "back" bought
        and len(w.text) > 2
    ]


def _records(result: Any, key: str | None = None) -> list[dict[str, Any]]:
    """The result's first list of records; with `key`, its first list of records holding that field."""
    data = parse_result(result)
    if not isinstance(data, dict):
        return []
    lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
    if key is not None:
        lists = [v for v in lists if all(key in i for i in v)]
    return lists[0] if lists else []


def lists_values_of(param: ParamSpec, step: Step, ask: str) -> bool:
    """The step's result lists records holding `param`'s field ("coupons", each with its "code"), and the ask
    asks for one such ("is there a welcome code?"; "any package deal?" asks for no code)."""
    asked = {stem(w) for w in param.name_words} & text_terms(ask).keys()
    return bool(asked) and bool(_records(step.result, param.name))


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")


def _date_words(text: str) -> list[str]:
    """The month and weekday of each ISO date in `text` ("2026-11-17" -> november, tuesday), as a reader
    of the date knows them ("my order from august", "what did I order on tuesday")."""
    found = []
    for m in _ISO_DATE.finditer(text):
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        found += [day.strftime("%B").lower(), day.strftime("%A").lower()]
    return found


def _record_terms(record: dict[str, Any]) -> set[str]:
    """The terms of a record's values (its fields' names are every record's, naming none of them)."""
    text = json.dumps(list(record.values()), default=str)
    return {stem(w.lower) for w in words(text)} | {stem(w) for w in _date_words(text)}


def _holds(terms: set[str], wanted: str) -> bool:
    """A record's terms hold the word, as itself or as the end or start of a compound ("ErgoChair": chair)."""
    return wanted in terms or any(in_compound(wanted, t) for t in terms)


def pick_identifier(param: ParamSpec, step: Step, named: Sequence[str], *, only: bool = False) -> str | None:
    """The identifier of the listed record the shopper's words name best (None when none names them);
    with no words, the first record listed; with `only`, None unless one record names them best."""
    records = _records(step.result, param.name) or _records(step.result)
    if not records:
        return None
    key = next((k for k in records[0] if k == param.name or k.endswith("_id")), None)
    if key is None:
        return None
    wanted = {stem(w) for w in named}

    def hits(record: dict[str, Any]) -> int:
        terms = _record_terms(record)
        return sum(1 for w in wanted if _holds(terms, w))

    ranked = sorted(records, key=hits, reverse=True)  # a stable sort: the first listed (newest) wins a tie
    if only and len(ranked) > 1 and hits(ranked[1]) == hits(ranked[0]):
        return None
    return str(ranked[0][key]) if hits(ranked[0]) or not named else None


def retry_query(profile: ToolProfile, steps: Sequence[Step], ask: str = "") -> dict[str, Any] | None:
    """Arguments for searching again after searches of this turn found nothing: for what several of its
    needs suggest ("laptop" and "cable" -> "dock"), without the words of an interest ("warm sleeping bag
    for winter camping" -> "warm sleeping bag"), for what the interest suggests ("coffee" -> "espresso"),
    then with one word at a time, a kind of product first; after a search that found products by a need's
    word, for what the need suggests."""
    searches = [s for s in steps if s.name == profile.name]
    query_param = next((p for p in profile.params if p.is_search_text), None)
    if not searches or len(searches) > MAX_RETRIES or query_param is None:
        return None
    first = searches[0].arguments
    if len(searches) == 1 and (remedy := _shopper_need(ask, searches[0], query_param)):
        return remedy
    if _records(searches[-1].result):
        return _unmet_need(searches, query_param) if len(searches) == 1 else None
    tried = {str(s.arguments.get(query_param.name) or "") for s in searches}
    query = str(first.get(query_param.name) or "")
    plain = " ".join(w for w in query.split() if not related_words(w))
    suggested = related_words(query)
    if kinds := [k for k in asked_kinds(ask) if k in query.lower().split()]:
        # The kind asked for is what is searched for; an interest only narrows it ("my sister runs marathons,
        # what watch should she get": a smartwatch, not the shoes running also suggests).
        suggested = [
            s for s in suggested if any(is_kind_of(s, k) for k in kinds) or set(s.split()) <= set(query.split())
        ]
    # What several of the needs ask for comes first ("2 monitors off my laptop with one cable": a dock).
    shared = [s for s in suggested if sum(s in related_words(w) for w in query.split()) > 1]
    single = sorted(reversed(query.split()), key=lambda w: not is_product_kind(w))  # the kind asked for first
    for word in [*shared, plain, *suggested, *single]:
        if word not in tried and len(word) > 2:
            return {**first, query_param.name: word}
    return None


def _shopper_need(ask: str, search: Step, query_param: ParamSpec) -> dict[str, Any] | None:
    """Arguments for searching what the need the shopper is in suggests, when the search took the need's
    word as a product's ("i keep getting cold" found the bottle that keeps drinks cold: warm things are
    what the shopper needs)."""
    query = str(search.arguments.get(query_param.name) or "").lower().split()
    if not any(w in query for w in shopper_states(ask)) or not (wanted := state_remedies(ask)):
        return None
    return {**search.arguments, query_param.name: wanted[0]}


def _unmet_need(searches: Sequence[Step], query_param: ParamSpec) -> dict[str, Any] | None:
    """Arguments for searching what a need suggests when the first search's hits share with the query
    only the words of an interest ("see in the dark at camp" found the camp stove by "camp": a headlamp
    is what "dark" asks for); None when a hit matched anything else."""
    first = searches[0].arguments
    query = str(first.get(query_param.name) or "").split()
    found = set().union(*(_record_terms(r) for r in _records(searches[0].result)))
    matched = [w for w in query if stem(w.lower()) in found]
    unmet = [w for w in query if w not in matched and related_words(w)]
    if not matched or not unmet or not all(related_words(w) for w in matched):
        return None
    wanted = related_words(" ".join(unmet))
    return {**first, query_param.name: wanted[0]} if wanted else None


def retry_family(profile: ToolProfile, steps: Sequence[Step]) -> dict[str, Any] | None:
    """Arguments for searching again by name alone when a search for several of a kind found one product
    named so ("the ridge backpacks": the Ridge daypack is no backpack by name, but a Ridge as well)."""
    searches = [s for s in steps if s.name == profile.name]
    query_param = next((p for p in profile.params if p.is_search_text), None)
    if len(searches) != 1 or query_param is None or len(found := _records(searches[0].result)) != 1:
        return None
    query = str(searches[0].arguments.get(query_param.name) or "").split()
    plural = [w for w in query if len(w) > 3 and w.lower().endswith("s") and not w.lower().endswith("ss")]
    name = str(found[0].get("name") or "").lower().split()
    family = [w for w in query if w not in plural and w.lower() in name[:1]]  # a name starts with it
    return {**searches[0].arguments, query_param.name: " ".join(family)} if plural and family else None


def _narrowed(first: Step, second: Step) -> set[str]:
    """The words of a text argument that the second call kept of the first's ("ridge" of "ridge backpacks")."""
    for key, value in second.arguments.items():
        before = first.arguments.get(key)
        if isinstance(value, str) and isinstance(before, str) and set(value.split()) < set(before.split()):
            return {w.lower() for w in value.split()}
    return set()


def _named_by(records: Sequence[dict[str, Any]], names: set[str]) -> int:
    """How many records have a name starting with one of `names`."""
    return sum(1 for r in records if (str(r.get("name") or "").lower().split() or [""])[0] in names)


def answered_step(steps: Sequence[Step]) -> Step:
    """The step to answer from: the last, or the first, which names what the shopper asked for, when
    every search of its tool in this turn found nothing, or when searching by a name alone found no
    more than one product of that name."""
    searches = [s for s in steps if s.name == steps[-1].name]
    if not any(_records(s.result) for s in searches) and _found_nothing(steps[-1]):
        return searches[0]
    if len(searches) == 2 and len(_records(searches[0].result)) == 1:
        narrowed = _narrowed(*searches)
        if narrowed and _named_by(_records(searches[1].result), narrowed) <= 1:
            return searches[0]
    return steps[-1]


def _found_nothing(step: Step) -> bool:
    """The call failed, or listed nothing (an error, or an empty list where records go)."""
    data = parse_result(step.result)
    if not isinstance(data, dict):
        return True
    return bool(data.get("error")) or any(isinstance(v, list) and not v for v in data.values())


def _name_words(text: str) -> set[str]:
    """The stems of a name's words, a size as its number and unit ("27in" and "27-inch" share both)."""
    found: set[str] = set()
    for w in words(text):
        if size := measure(w.text):
            found |= set(size)
        elif not w.is_filler:
            found.add(stem(w.lower))
    return found


def retry_suggestion(steps: Sequence[Step]) -> dict[str, Any] | None:
    """Arguments for calling the last tool again with the suggestion its "not found" answer offered that
    best fits what the shopper wrote (words that fewer suggestions share count more); None when none fits
    better than the others (a lone suggestion is taken), or the call was made before in this turn."""
    last = steps[-1]
    data = parse_result(last.result)
    if not isinstance(data, dict) or not data.get("suggestions") or not isinstance(data.get("query"), str):
        return None
    query = data["query"]
    suggestions = [s for s in data["suggestions"] if isinstance(s, dict)]
    named = [_name_words(" ".join(str(v) for v in s.values() if isinstance(v, str))) for s in suggestions]
    wanted = _name_words(query)
    counts = {w: sum(w in n for n in named) for w in wanted}

    def fit(n: set[str]) -> float:
        return sum(1 / counts[w] for w in wanted & n)

    ranked = sorted(range(len(suggestions)), key=lambda i: -fit(named[i]))
    best = ranked[0]
    alone = len(suggestions) == 1
    if not alone and (fit(named[best]) == 0 or fit(named[ranked[1]]) == fit(named[best])):
        return None
    choice = str(suggestions[best].get("sku") or suggestions[best].get("id") or "")
    if not choice:
        return None
    replaced: dict[str, Any] = {}
    for key, value in last.arguments.items():
        if value == query:
            replaced[key] = choice
        elif isinstance(value, list) and query in value:
            replaced[key] = [choice if v == query else v for v in value]
    return _fresh(steps, {**last.arguments, **replaced}) if replaced else None


def _fresh(steps: Sequence[Step], arguments: dict[str, Any]) -> dict[str, Any] | None:
    """`arguments` for calling the last tool again, unless this turn already called it so or as often as
    retries go: each retry fixes one value ("torn" names nothing, then "27in 4k screen" is the monitor
    suggested), never the same one twice."""
    made = [s.arguments for s in steps if s.name == steps[-1].name]
    return arguments if arguments not in made and len(made) <= MAX_RETRIES else None


def retry_without(profile: ToolProfile, steps: Sequence[Step]) -> dict[str, Any] | None:
    """Arguments for calling the last tool again without the value it could not find and had nothing like:
    one item of a list ("the barista bundle and the grinder": "barista" names no product), or the whole
    value of a parameter the tool does without ("when does TRAIL20 expire" took "expire" for a product);
    None when it offered suggestions (the shopper chooses among them), nothing else is left or the call
    was made before in this turn."""
    last = steps[-1]
    data = parse_result(last.result)
    if not isinstance(data, dict) or not isinstance(data.get("query"), str) or data.get("suggestions"):
        return None
    query = data["query"]
    optional = {p.name for p in profile.params if not p.required}
    for key, value in last.arguments.items():
        if isinstance(value, list) and query in value and len(value) > 1:
            return _fresh(steps, {**last.arguments, key: [v for v in value if v != query]})
        if key in optional and (value == query or value == [query]):
            return _fresh(steps, {k: v for k, v in last.arguments.items() if k != key})
    return None


def search_for_need(
    ask: str, domain: Sequence[ToolProfile], steps: Sequence[Step]
) -> tuple[str, dict[str, Any]] | None:
    """A search for the kind of product a call about one was made for, when the ask states an amount and
    the product it told of misses it ("a tent for 4 people" told of the 2-person tent: the other tents may
    meet it) or it found none; None when it meets it, the thing was named rather than a kind, or this turn
    searched already."""
    last = steps[-1]
    searching = [p for p in domain if any(q.is_search_text for q in p.params)]
    if len(steps) > 1 or not searching or any(s.name == p.name for s in steps for p in searching):
        return None
    kind = next((v for v in last.arguments.values() if isinstance(v, str) and _names_kind_only(v)), None)
    if kind is None or not (fails_need(ask, last.result) or (stated_amounts(ask) and _found_nothing(last))):
        return None
    query = next(q for q in searching[0].params if q.is_search_text)
    return searching[0].name, {query.name: kind}


def failed(step: Step) -> bool:
    """The call returned an error."""
    data = parse_result(step.result)
    return isinstance(data, dict) and bool(data.get("error"))


def _single_item(step: Step) -> tuple[str, str] | None:
    """The parameter and item of the step's one list argument holding a single item."""
    return next(
        ((k, v[0]) for k, v in step.arguments.items() if isinstance(v, list) and len(v) == 1 and isinstance(v[0], str)),
        None,
    )


def search_for_several(domain: Sequence[ToolProfile], steps: Sequence[Step]) -> tuple[str, dict[str, Any]] | None:
    """A search for the kind of product a call about several products was given in their place ("compare the
    two smartwatches" names one kind, not the products to compare); None unless the turn's one call failed
    with a kind as the one item of its list."""
    searching = [p for p in domain if any(q.is_search_text for q in p.params)]
    last = steps[-1]
    if len(steps) != 1 or not searching or last.name == searching[0].name or not failed(last):
        return None
    item = _single_item(last)
    if item is None or not _names_kind_only(item[1]):
        return None
    query = next(q for q in searching[0].params if q.is_search_text)
    return searching[0].name, {query.name: item[1]}


def _most(description: str) -> int | None:
    """The most items a parameter's description allows ("Two or three different products": 3)."""
    counts = [COUNT_WORDS[w.lower] for w in words(description) if w.lower in COUNT_WORDS]
    return max(counts) if counts else None


def several_found(domain: Sequence[ToolProfile], steps: Sequence[Step]) -> tuple[str, dict[str, Any]] | None:
    """The call `search_for_several` searched for, again with the products the search found, when they are
    as many as its list takes ("compare the two smartwatches": the two smartwatches the catalog has)."""
    if len(steps) != 2 or search_for_several(domain, steps[:1]) != (steps[1].name, steps[1].arguments):
        return None
    first, search = steps
    tool = next(p for p in domain if p.name == first.name)
    key, _ = _single_item(first) or ("", "")
    param = next((p for p in tool.params if p.name == key), None)
    ids = [str(r.get("sku") or r.get("id") or "") for r in _records(search.result)]
    most = _most(param.description) if param else None
    if param is None or len(ids) < 2 or not all(ids) or (most is not None and len(ids) > most):
        return None
    return first.name, {**first.arguments, key: ids}


def _names_kind_only(text: str) -> bool:
    """The words name a kind of product ("tent", "sleeping bag"), no product by its name."""
    said = words(text)
    return bool(said) and is_product_kind(said[-1].text) and not any(w.text[:1].isupper() or w.is_code for w in said)
