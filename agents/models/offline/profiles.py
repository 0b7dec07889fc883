"""What the offline model knows about an offered tool, read once from its name, description and schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Literal

from agent_framework import FunctionTool

from agents.handoff_extension import handoff_tool_target
from agents.models.offline.lexicon import is_product_kind
from agents.models.offline.text import terms, text_terms, words

NAME_WEIGHT = 1.0
ASIDE_WEIGHT = 0.4
PARAM_WEIGHT = 0.5
ENUM_WEIGHT = 1.0  # a value a parameter can take says less about what the tool does than its name

_SENTENCES = re.compile(r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)\s+")  # "e.g. Camp kit" ends no sentence
_NEGATIVE_START = re.compile(r"^(?:not|never|do not|don't)\b", re.IGNORECASE)
_MARKER = r"\b(?:e\.g\.|eg\.|for example|such as|looks? like)"
# An aside: a parenthesis, an example, or a condition on when the tool applies ("if it is still placed"),
# which says when, not what it does.
_ASIDE = re.compile(rf"\([^)]*\)|(?:{_MARKER}|\bif\b)[^,;.()]*", re.IGNORECASE)
_EXAMPLE = re.compile(rf"{_MARKER}\s*:?\s*['\"]?([^\s,;)'\"]+)", re.IGNORECASE)
_MARKER_WORDS = re.compile(_MARKER, re.IGNORECASE)
_ID_NAMES = frozenset({"id", "code", "sku", "number", "ids", "codes", "skus"})
_COUNTS = {"two": 2, "three": 3, "2": 2, "3": 3}
_COUNTED = re.compile(r"^\s*(?:at least\s+)?(two|three|2|3)\b", re.IGNORECASE)  # "Two or three products, ..."
_OPEN_NAMES = frozenset({"query", "q", "search", "keyword", "keywords", "text", "term", "terms", "topic", "phrase"})


def is_handoff(tool_name: str) -> bool:
    """Whether `tool_name` is a handoff mesh's `handoff_to_<agent>` tool."""
    return handoff_tool_target(tool_name) is not None


ParamKind = Literal["string", "number", "integer", "boolean", "array", "object"]


def code_shape(example: str) -> str:
    """A regex for identifiers shaped like `example`.

    "ORD-1001" -> three letters, a hyphen, four digits; "TRAIL20" -> some letters then some digits.
    """
    runs = re.findall(r"[A-Za-z]+|\d+|[^A-Za-z\d]+", example)
    if len(runs) == 2 and runs[0].isalpha() and runs[1].isdigit():
        body = r"[A-Za-z]{3,12}\d{1,4}"
    else:
        body = "".join(_run_shape(r) for r in runs)
    return rf"(?<![A-Za-z0-9-]){body}(?![A-Za-z0-9-])"


def _run_shape(run: str) -> str:
    if run.isalpha():
        return rf"[A-Za-z]{{{len(run)}}}"
    return rf"\d{{{len(run)}}}" if run.isdigit() else re.escape(run)


def _codes_in(text: str) -> list[str]:
    """Example identifiers written in `text` (upper-case codes such as "ORD-1001" or "TRAIL20")."""
    return [w.text for w in words(text) if w.is_code and w.text.upper() == w.text and not w.text[0].isdigit()]


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a tool, as far as argument extraction cares."""

    name: str
    kind: ParamKind
    description: str
    required: bool
    enum: tuple[str, ...] = ()
    shape: re.Pattern[str] | None = None
    item_kind: ParamKind | None = None
    terms: frozenset[str] = frozenset()
    example: str | None = None
    min_items: int = 0  # a list that needs at least this many items ("Two or three products")

    @cached_property
    def name_words(self) -> frozenset[str]:
        """The words of the parameter's name ("max_price" -> {"max", "price"})."""
        return frozenset(re.split(r"[_\W]+", self.name.lower()))

    @property
    def loose_shape(self) -> bool:
        """Its identifiers are just letters then digits ("TRAIL20"), a shape many other words have ("IPX5")."""
        return bool(self.example and re.fullmatch(r"[A-Za-z]+\d+", self.example))

    @cached_property
    def strict(self) -> bool:
        """Takes only identifier- or enum-shaped values, never a free phrase."""
        if self.enum:
            return True
        return self.shape is not None and bool(_ID_NAMES & self.name_words)

    @cached_property
    def free_text(self) -> bool:
        """A string (or list of strings) that can take a phrase of the ask."""
        return self.kind in ("string", "array") and not self.strict and (self.item_kind in (None, "string"))

    @cached_property
    def is_search_text(self) -> bool:
        """A search-text parameter ("query", "keyword") that takes whatever the shopper is looking for."""
        return self.free_text and bool(_OPEN_NAMES & self.name_words)

    @property
    def label(self) -> str:
        """The parameter name in words ("order_id" -> "order id")."""
        return re.sub(r"[_\W]+", " ", self.name).strip()


def _param_spec(name: str, schema: Mapping[str, Any], required: bool) -> ParamSpec:
    branch = schema
    for option in schema.get("anyOf") or schema.get("oneOf") or ():
        if option.get("type") != "null":
            branch = option
            break
    kind = branch.get("type", "string")
    items = branch.get("items") or {}
    enum = tuple(str(v) for v in branch.get("enum") or items.get("enum") or ())
    description = str(schema.get("description") or branch.get("description") or "")
    example = next(iter(_EXAMPLE.findall(description)), None)
    shape = re.compile(code_shape(example), re.IGNORECASE) if example and _codes_in(example) else None
    counted = _COUNTED.match(description)
    min_items = int(branch.get("minItems") or (_COUNTS[counted.group(1).lower()] if counted else 0))
    return ParamSpec(
        name=name,
        kind=kind if kind in ("string", "number", "integer", "boolean", "array", "object") else "string",
        description=description,
        required=required,
        enum=enum,
        shape=shape,
        item_kind=items.get("type") if kind == "array" else None,
        example=example if shape is not None else None,
        terms=frozenset(_name_terms(name, 1.0)) | frozenset(text_terms(_ASIDE.sub(" ", description))),
        min_items=min_items if kind == "array" else 0,
    )


@dataclass(frozen=True, eq=False)
class ToolProfile:
    """A tool's routing vocabulary (term -> weight), what it disowns, the code shapes it takes, its params."""

    name: str
    description: str
    weights: Mapping[str, float]
    negative: frozenset[str]
    shapes: tuple[str, ...]
    params: tuple[ParamSpec, ...]
    schema_chars: int
    core_terms: frozenset[str]

    @cached_property
    def is_handoff(self) -> bool:
        """A `handoff_to_<agent>` tool of a handoff mesh."""
        return is_handoff(self.name)

    @property
    def takes_names(self) -> bool:
        """Has a free-text parameter, so a product or other name in the ask is a value for it."""
        return any(p.free_text for p in self.params)

    @property
    def summary(self) -> str:
        """The first clause of the description ("Product discovery"), for telling shoppers what is on offer."""
        first = re.split(r"[:.;]", self.description, maxsplit=1)[0].strip()
        return first or (handoff_tool_target(self.name) or self.name).replace("_", " ").replace("-", " ")


def _add(weights: dict[str, float], found: Mapping[str, float]) -> None:
    for term, weight in found.items():
        if weight > weights.get(term, 0.0):
            weights[term] = weight


def _description_terms(description: str) -> tuple[dict[str, float], set[str]]:
    """Positive terms (asides count half) and the terms of sentences that say what the tool is not for."""
    positive: dict[str, float] = {}
    negative: set[str] = set()
    for sentence in _SENTENCES.split(description):
        if _NEGATIVE_START.match(sentence):
            negative.update(text_terms(sentence))
            continue
        # A kind of product a description names is an example of what it covers, not its business ("The
        # front desk" names no desk a shopper orders).
        kinds = {t for w in words(sentence) if is_product_kind(w.text) for t in text_terms(w.text)}
        found = text_terms(_ASIDE.sub(" ", sentence))
        _add(positive, {t: ASIDE_WEIGHT if t in kinds else weight for t, weight in found.items()})
        for aside in _ASIDE.findall(sentence):
            _add(positive, text_terms(_MARKER_WORDS.sub(" ", aside), ASIDE_WEIGHT))
    return positive, negative - positive.keys()


def _name_terms(name: str, weight: float) -> dict[str, float]:
    return text_terms(re.sub(r"[_-]+", " ", name), weight)


def build_profile(name: str, description: str, parameters: Mapping[str, Any]) -> ToolProfile:
    """Read a tool's vocabulary, negative words, code shapes and parameters from its declaration."""
    target = handoff_tool_target(name)
    weights = _name_terms(name if target is None else target, NAME_WEIGHT if target is None else 1.0)
    positive, negative = _description_terms(description)
    _add(weights, positive)
    required = set(parameters.get("required") or ())
    params = tuple(_param_spec(n, s, n in required) for n, s in (parameters.get("properties") or {}).items())
    for p in params:
        _add(weights, _name_terms(p.name, PARAM_WEIGHT))
        _add(weights, text_terms(_ASIDE.sub(" ", p.description), PARAM_WEIGHT))
        for value in p.enum:
            _add(weights, terms(value, ENUM_WEIGHT))
    enum_terms = frozenset(t for p in params for value in p.enum for t in terms(value))
    shapes = {code_shape(code) for code in _codes_in(description)}
    shapes.update(p.shape.pattern for p in params if p.shape is not None)
    spec = {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}
    return ToolProfile(
        name=name,
        description=description,
        weights=weights,
        negative=frozenset(negative - weights.keys()),
        shapes=tuple(sorted(shapes)),
        params=params,
        schema_chars=len(json.dumps(spec)),
        core_terms=frozenset(t for t, w in weights.items() if w >= 1.0) | enum_terms,
    )


@lru_cache(maxsize=256)
def vocabulary(profiles: tuple[ToolProfile, ...]) -> frozenset[str]:
    """Every term the offered tools know (computed once per set of offered tools)."""
    return frozenset(t for p in profiles for t in p.weights)


@lru_cache(maxsize=256)
def value_fields(profiles: tuple[ToolProfile, ...]) -> dict[str, frozenset[str]]:
    """For a value of an enum parameter that no tool's description names in its own words ("placed" of an
    order's status), the terms of that parameter's name: the value says which field is asked about ("when
    was it placed?" asks after the order's status and its history, not its delivery)."""
    described = {t for p in profiles for t in text_terms(_ASIDE.sub(" ", p.description))}
    found: dict[str, frozenset[str]] = {}
    for param in (q for p in profiles for q in p.params if q.enum):
        for value in param.enum:
            for term in set(terms(value)) - described:
                found[term] = found.get(term, frozenset()) | frozenset(_name_terms(param.name, 1.0))
    return found


@lru_cache(maxsize=64)
def disowned_terms(text: str) -> frozenset[str]:
    """Terms of the sentences of `text` (e.g. an agent's instructions) that say what is not its business."""
    return frozenset(_description_terms(text)[1])


@lru_cache(maxsize=64)
def disowned_words(text: str) -> frozenset[str]:
    """Every term of the sentences of `text` that say what is not its business, those its other sentences
    also use included ("order" for a desk that reads the shopper's order history but owns no orders)."""
    return frozenset(t for s in _SENTENCES.split(text) if _NEGATIVE_START.match(s) for t in text_terms(s))


@lru_cache(maxsize=64)
def written_forms(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of `text` as written (lower case), of its sentences that say what is its business and of those
    that say what is not ("track shipments"; "shipping to a region")."""
    own: set[str] = set()
    disowned: set[str] = set()
    for sentence in _SENTENCES.split(text):
        (disowned if _NEGATIVE_START.match(sentence) else own).update(w.lower for w in words(sentence))
    return frozenset(own), frozenset(disowned)


@lru_cache(maxsize=256)
def tool_forms(profiles: tuple[ToolProfile, ...]) -> frozenset[str]:
    """Every word the offered tools write, as written (lower case): their names, descriptions, parameters and
    the values these take ("shipped" of an order's status)."""
    texts = [p.name for p in profiles] + [p.description for p in profiles]
    texts += [f"{q.name} {q.description} {' '.join(q.enum)}" for p in profiles for q in p.params]
    return frozenset(w.lower for text in texts for w in words(text))


_CACHE: dict[tuple[str, str, str], ToolProfile] = {}
_CACHE_LIMIT = 512


def profile_of(tool: FunctionTool) -> ToolProfile:
    """The (cached) profile of an offered tool."""
    parameters = tool.parameters()
    key = (tool.name, tool.description or "", ",".join(parameters.get("properties") or ()))
    profile = _CACHE.get(key)
    if profile is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        profile = _CACHE[key] = build_profile(tool.name, tool.description or "", parameters)
    return profile


def profiles_of(tools: Iterable[Any]) -> list[ToolProfile]:
    """Profiles of the function tools among `tools` (other tool kinds are ignored)."""
    return [profile_of(t) for t in tools if isinstance(t, FunctionTool)]
