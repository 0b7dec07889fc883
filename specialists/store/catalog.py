"""Catalog queries: product search, fuzzy lookup by SKU or name, similar products and comparisons."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from typing import Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.errors import EcommerceAgentsError
from specialists.store.database import Store
from specialists.store.matching import keywords, matches_any, similarity, words
from specialists.store.results import ProductComparison, ProductDetails, ProductSummary, SimilarProduct
from specialists.store.schema import Product
from specialists.store.serialize import money

Category = Literal["apparel", "audio", "home-office", "kitchen", "outdoor", "wearables"]
CATEGORIES: tuple[str, ...] = get_args(Category)

_SKU = re.compile(r"\b([a-z]{3})[-\s]?(\d{3})\b", re.IGNORECASE)
_PRICE_HINT = re.compile(
    r"\b(?P<op>under|below|less than|cheaper than|up to|max(?:imum)?|over|above|more than|at least|min(?:imum)?)"
    r"\s*\$?\s*(?P<amount>\d+(?:\.\d+)?)\s*(?:usd|dollars?|\$)?",
    re.IGNORECASE,
)
_MIN_OPS = ("over", "above", "more than", "at least", "min")
_SEARCH_NOISE = frozenset({"best", "good", "cheap", "cheapest", "buy", "product", "item", "recommend", "new"})
_FIELD_WEIGHTS = (("name", 3.0), ("brand", 2.0), ("category", 2.0), ("description", 1.0), ("attributes", 1.0))
_MIN_NAME_COVERAGE = 0.6


def category_named(text: str) -> str:
    """The catalog category `text` names, however it is written ("Wearables", "home office"): compared by
    stemmed words, so a plural stemmed to its singular ("wearable") still names "wearables"."""
    wanted = words(text)
    return next((c for c in CATEGORIES if words(c) == wanted), "-".join(wanted))


class UnknownProductError(EcommerceAgentsError, LookupError):
    """Raised when SKUs are not in the catalog; `skus` lists them."""

    def __init__(self, skus: Sequence[str]) -> None:
        super().__init__(f"unknown SKU(s): {', '.join(skus)}")
        self.skus = list(skus)


def product_summary(product: Product) -> ProductSummary:
    """The identifying facts of a product: SKU, name, brand, category and price."""
    return {
        "sku": product.sku,
        "name": product.name,
        "brand": product.brand,
        "category": product.category,
        "price": money(product.price),
        "currency": product.currency,
    }


def product_details(product: Product) -> ProductDetails:
    """The summary plus description and attributes."""
    return {**product_summary(product), "description": product.description, "attributes": dict(product.attributes)}


def normalize_sku(text: str) -> str | None:
    """The SKU written in `text` in canonical form ("out 300" -> "OUT-300"), if any."""
    found = _SKU.search(text)
    return f"{found.group(1).upper()}-{found.group(2)}" if found else None


def canonical_sku(sku: str) -> str:
    """`sku` in the catalog's spelling ("out-300" -> "OUT-300")."""
    return normalize_sku(sku) or sku.strip().upper()


_ALL_PRODUCTS = select(Product).order_by(Product.sku)


def all_products(session: Session) -> list[Product]:
    """Every product, by SKU."""
    return list(session.scalars(_ALL_PRODUCTS).all())


def products_by_sku(session: Session, skus: Iterable[str]) -> dict[str, Product]:
    """The products of `skus` (any case) keyed by canonical SKU; `UnknownProductError` names missing ones."""
    wanted = {sku: canonical_sku(sku) for sku in skus}
    found = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(set(wanted.values()))))}
    missing = [sku for sku, canonical in wanted.items() if canonical not in found]
    if missing:
        raise UnknownProductError(missing)
    return found


def _field_words(product: Product) -> dict[str, list[str]]:
    truthy_keys = " ".join(k for k, v in product.attributes.items() if v not in (False, 0, None, "", []))
    return {
        "name": words(product.name),
        "brand": words(product.brand),
        "category": words(product.category),
        "description": words(product.description),
        "attributes": words(truthy_keys.replace("_", " ")),
    }


_MIN_COMPOUND_PART = 4  # each part of a compound of words ("camp" and "site" of "campsite")


def _holds_name_word(term: str, name_words: Sequence[str]) -> bool:
    """Whether the search's word is a compound of a word of the product's name and another word ("campsite"
    holds the Camp Stove's "camp"; "camping" holds no word "ing")."""
    return any(
        len(w) >= _MIN_COMPOUND_PART
        and len(term) >= len(w) + _MIN_COMPOUND_PART
        and (term.startswith(w) or term.endswith(w))
        for w in name_words
    )


def _relevance(product: Product, terms: Sequence[str]) -> tuple[int, int, float]:
    """(terms matched, terms matched by a word of its own, weighted score) of `product` for the search `terms`:
    "kettle" is the kettle's own word and only part of the brand "Kettlecraft" of a blender; a word holding a
    word of its name ("campsite": the Camp Stove) matches the name."""
    fields = _field_words(product)
    own = {w for found in fields.values() for w in found}
    matched, exact, score = 0, 0, 0.0
    for term in terms:
        weight = max((w for field, w in _FIELD_WEIGHTS if matches_any(term, fields[field])), default=0.0)
        if not weight and _holds_name_word(term, fields["name"]):
            weight = dict(_FIELD_WEIGHTS)["name"]
        matched += weight > 0
        exact += term in own
        score += weight
    return matched, exact, score


def _price_hints(query: str) -> tuple[str, float | None, float | None]:
    """`query` without phrases like "under $200", and the min/max prices they state."""
    low = high = None
    for hint in _PRICE_HINT.finditer(query):
        amount = float(hint.group("amount"))
        if hint.group("op").lower().startswith(_MIN_OPS):
            low = amount
        else:
            high = amount
    return _PRICE_HINT.sub(" ", query), low, high


def _attribute_key(attribute: str, known: Iterable[str]) -> str | None:
    """The attribute key meant by `attribute` ("noise-cancelling" -> "noise_cancelling"), if any."""
    key = "_".join(words(attribute)) if attribute.strip() else ""
    known = list(known)
    if key in known:
        return key
    close = get_close_matches(key, known, n=1, cutoff=0.8)
    return close[0] if close else None


def _has_attribute(product: Product, key: str, value: str | None) -> bool:
    actual = product.attributes.get(key)
    if value is None:
        return actual not in (None, False, 0, "", [])
    if isinstance(actual, bool):
        return actual == (value.strip().lower() in ("true", "yes", "1"))
    return str(actual).lower() == value.strip().lower()


async def search_products(
    store: Store,
    query: str | None = None,
    *,
    category: str | None = None,
    min_price: float | None = None,
    max_price: float | None = None,
    attribute: str | None = None,
    limit: int = 10,
) -> list[ProductDetails]:
    """Products matching free text, category, price range and an attribute ("noise_cancelling" or "key=value").

    Text matches name, brand, category, description and feature names word by word; only the products
    matching the most words (and at least half of them), and of those the ones matching most words by the
    same word rather than as part of a longer one or a near miss, are kept. Price phrases in the text ("under $200")
    become price limits. An attribute no product has is searched as text instead. Sorted by relevance, then price.
    """
    text, hinted_min, hinted_max = _price_hints(query or "")
    min_price = hinted_min if min_price is None else min_price
    max_price = hinted_max if max_price is None else max_price
    statement = select(Product)
    if category:
        statement = statement.where(Product.category == category_named(category))
    if min_price is not None:
        statement = statement.where(Product.price >= min_price)
    if max_price is not None:
        statement = statement.where(Product.price <= max_price)
    products = await store.read(lambda session: list(session.scalars(statement)))
    if attribute:
        name, _, value = attribute.partition("=")
        key = _attribute_key(name, {k for p in products for k in p.attributes})
        if key is None:
            text = f"{text} {attribute}"
        else:
            products = [p for p in products if _has_attribute(p, key, value or None)]
    terms = [t for t in keywords(text) if t not in _SEARCH_NOISE]
    scored = [(_relevance(p, terms), p) for p in products]
    best = max((matched for (matched, _, _), _ in scored), default=0)
    if terms and best < max(1, math.ceil(len(terms) / 2)):
        return []
    # Of the products matching the most words, those matching most of them by words of their own.
    most_exact = max((exact for (matched, exact, _), _ in scored if matched == best), default=0)
    ranked = sorted(
        ((score, p) for (matched, exact, score), p in scored if matched == best and exact == most_exact),
        key=lambda pair: (-pair[0], pair[1].price, pair[1].sku),
    )
    return [product_details(p) for _, p in ranked[:limit]]


def _name_match(product: Product, terms: Sequence[str]) -> float:
    """The share of `terms` found in the name or brand of `product` (0 unless a non-number matches)."""
    name_words = words(f"{product.name} {product.brand}")
    found = [t for t in terms if matches_any(t, name_words)]
    return len(found) / len(terms) if any(not t.isdigit() for t in found) else 0.0


def _own_words(product: Product, terms: Sequence[str]) -> int:
    """How many of `terms` are words of the name or brand of `product` as written, not parts of longer ones."""
    return len(set(terms) & set(words(f"{product.name} {product.brand}")))


def _best_named(products: Sequence[Product], text: str) -> Product | None:
    """The product `text` names best, by the share of its words the name holds, then by how many of them are
    the name's own words ("backpack": the Ridge 45L Hiking Backpack, not the Backpacking Tent); ties go to the
    first in SKU order (the catalog lists base models first)."""
    terms = keywords(text)
    if not terms:
        return None
    ranked = ((_name_match(p, terms), _own_words(p, terms), p) for p in sorted(products, key=lambda p: p.sku))
    score, _, best = max(ranked, key=lambda s: s[:2])
    return best if score >= _MIN_NAME_COVERAGE else None


def _lookup(session: Session, text: str) -> ProductDetails | None:
    sku = normalize_sku(text)
    product = session.get(Product, sku) if sku else None
    product = product or _best_named(all_products(session), text)
    return product_details(product) if product else None


async def find_product(store: Store, text: str) -> ProductDetails | None:
    """The product named by `text`: a SKU in any case ("out-300") or a loose name ("the trailpeak 2 tent")."""
    return await store.read(lambda session: _lookup(session, text))


async def suggest_products(store: Store, text: str, limit: int = 3) -> list[ProductSummary]:
    """The products whose names come closest to `text`, for a "did you mean" answer."""
    terms = keywords(text)
    products = await store.read(all_products)
    scored = [(_name_match(p, terms) if terms else 0.0, similarity(text, p.name), p) for p in products]
    scored = [s for s in scored if s[0] > 0 or s[1] >= 0.45]
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [product_summary(p) for _, _, p in scored[:limit]]


async def similar_products(store: Store, sku: str, limit: int = 3) -> list[SimilarProduct] | None:
    """Products of the same category, sharing the most name words, then closest in price; None for an unknown SKU."""
    found = await store.read(lambda session: _with_peers(session, sku))
    if found is None:
        return None
    product, peers = found
    own_words = set(words(product.name))

    def closeness(peer: Product) -> tuple[int, float, str]:
        return (-len(own_words & set(words(peer.name))), abs(peer.price - product.price), peer.sku)

    ranked = sorted(peers, key=closeness)
    return [{**product_details(p), "price_difference": money(p.price - product.price)} for p in ranked[:limit]]


def _with_peers(session: Session, sku: str) -> tuple[Product, list[Product]] | None:
    """The product of `sku` and the others of its category; None for an unknown SKU."""
    product = session.get(Product, canonical_sku(sku))
    if product is None:
        return None
    peers = session.scalars(select(Product).where(Product.category == product.category, Product.sku != product.sku))
    return product, list(peers)


async def compare_products(store: Store, skus: Sequence[str]) -> ProductComparison:
    """Side by side: the products of `skus`, every attribute per SKU, the cheapest and the price spread."""
    found = await store.read(lambda session: products_by_sku(session, skus))
    products = [found[sku] for sku in dict.fromkeys(canonical_sku(s) for s in skus)]
    keys = list(dict.fromkeys(k for p in products for k in p.attributes))
    cheapest = min(products, key=lambda p: p.price)
    return {
        "products": [product_details(p) for p in products],
        "attributes": {key: {p.sku: p.attributes.get(key) for p in products} for key in keys},
        "cheapest": product_summary(cheapest),
        "price_spread": money(max(p.price for p in products) - cheapest.price),
    }
