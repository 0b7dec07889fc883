"""Review queries: rating summaries, pros and cons, keyword search and rating comparisons.

Pros and cons are extracted deterministically: positive reviews (4-5 stars) and negative ones (1-2 stars)
are split into sentences, sentences are grouped by their meaningful words, and the most frequent groups
become the points, each with quoted examples and their ratings.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from specialists.store.catalog import canonical_sku, products_by_sku
from specialists.store.database import Store
from specialists.store.matching import keywords, matches_any, words
from specialists.store.results import (
    FoundReview,
    Point,
    ProsAndCons,
    RatingComparison,
    RatingSummary,
    ReviewFacts,
    ReviewSearch,
)
from specialists.store.schema import Product, Review
from specialists.store.serialize import iso_date

POSITIVE_MIN = 4
NEGATIVE_MAX = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _review(review: Review) -> ReviewFacts:
    return {
        "review_id": review.review_id,
        "sku": review.sku,
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "author": review.author,
        "created_at": iso_date(review.created_at),
        "verified_purchase": review.verified_purchase,
    }


def _summary(product: Product, reviews: Sequence[Review]) -> RatingSummary:
    ratings = Counter(r.rating for r in reviews)
    count = len(reviews)
    return {
        "sku": product.sku,
        "name": product.name,
        "average_rating": round(sum(r.rating for r in reviews) / count, 2) if count else None,
        "review_count": count,
        "distribution": {str(stars): ratings.get(stars, 0) for stars in range(1, 6)},
        "verified_count": sum(r.verified_purchase for r in reviews),
    }


def _product_reviews(session: Session, sku: str) -> tuple[Product, list[Review]] | None:
    product = session.get(Product, canonical_sku(sku))
    if product is None:
        return None
    reviews = session.scalars(
        select(Review).where(Review.sku == product.sku).order_by(Review.created_at.desc(), Review.review_id)
    )
    return product, list(reviews)


async def rating_summary(store: Store, sku: str) -> RatingSummary | None:
    """Average rating (2 decimals), review count and the 1-5 star distribution; None for an unknown SKU."""
    found = await store.read(lambda session: _product_reviews(session, sku))
    return _summary(*found) if found else None


def _points(reviews: Sequence[Review], limit: int, examples: int) -> list[Point]:
    """The most frequent statements of `reviews`, with how many reviews make them and a few quotes."""
    groups: dict[tuple[str, ...], list[tuple[str, Review]]] = defaultdict(list)
    for review in reviews:
        for sentence in _SENTENCE_END.split(review.body.strip()):
            key = tuple(sorted(set(keywords(sentence))))
            if key and all(r is not review for _, r in groups[key]):
                groups[key].append((sentence, review))
    ranked = sorted(groups.values(), key=lambda quotes: (-len(quotes), quotes[0][0]))
    return [
        {
            "point": quotes[0][0],
            "mentions": len(quotes),
            "examples": [{"quote": s, "rating": r.rating, "author": r.author} for s, r in quotes[:examples]],
        }
        for quotes in ranked[:limit]
    ]


async def pros_and_cons(store: Store, sku: str, limit: int = 3, examples: int = 2) -> ProsAndCons | None:
    """What reviewers praise (4-5 stars) and complain about (1-2 stars), most frequent first; None if unknown."""
    found = await store.read(lambda session: _product_reviews(session, sku))
    if found is None:
        return None
    product, reviews = found
    positive = [r for r in reviews if r.rating >= POSITIVE_MIN]
    negative = [r for r in reviews if r.rating <= NEGATIVE_MAX]
    return {
        **_summary(product, reviews),
        "positive_count": len(positive),
        "negative_count": len(negative),
        "pros": _points(positive, limit, examples),
        "cons": _points(negative, limit, examples),
    }


async def search_reviews(store: Store, keyword: str, sku: str | None = None, limit: int = 5) -> ReviewSearch:
    """Reviews whose title or body mention every word of `keyword` (plural tolerant), of one product or all.

    Returns the newest `limit` matches and the total; `sku` unknown raises `UnknownProductError`.
    """
    terms = keywords(keyword) or words(keyword)

    def read(session: Session) -> list[tuple[Review, str]]:
        statement = select(Review, Product.name).join(Product, Product.sku == Review.sku)
        if sku is not None:
            product = products_by_sku(session, [sku])[canonical_sku(sku)]
            statement = statement.where(Review.sku == product.sku)
        return [(r, n) for r, n in session.execute(statement.order_by(Review.created_at.desc(), Review.review_id))]

    rows = await store.read(read)
    matches: list[FoundReview] = [
        {**_review(review), "product": name}
        for review, name in rows
        if terms and all(matches_any(t, words(f"{review.title} {review.body}")) for t in terms)
    ]
    scope = canonical_sku(sku) if sku else None
    return {"keyword": keyword, "sku": scope, "total": len(matches), "reviews": matches[:limit]}


async def compare_ratings(store: Store, skus: Sequence[str]) -> RatingComparison:
    """Rating summaries of the products of `skus`, best rated first; `UnknownProductError` for unknown SKUs."""

    def read(session: Session) -> tuple[dict[str, Product], list[Review]]:
        products = products_by_sku(session, skus)
        return products, list(session.scalars(select(Review).where(Review.sku.in_(list(products)))))

    products, reviews = await store.read(read)
    by_sku: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        by_sku[review.sku].append(review)
    summaries = [_summary(p, by_sku[sku]) for sku, p in products.items()]
    summaries.sort(key=lambda s: (-(s["average_rating"] or 0), -s["review_count"], s["sku"]))
    return {"products": summaries, "best_rated": summaries[0] if summaries else None}
