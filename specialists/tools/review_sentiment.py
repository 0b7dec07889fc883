"""Tools of the review-sentiment specialist: rating summaries, pros and cons, review search, rating comparison."""

from __future__ import annotations

from typing import Annotated

from agent_framework import FunctionTool
from pydantic import Field

from specialists.store import Store, reviews
from specialists.store.catalog import search_products
from specialists.store.results import FoundReview, Named, Point, ProductDetails, RatingSummary, ReviewSearch
from specialists.tools.common import (
    ProductArg,
    ProductsArg,
    Result,
    failure,
    label,
    lookup_product,
    lookup_products,
    plural,
    store_tool,
)

KeywordArg = Annotated[str, Field(description="A word or short topic the reviews mention, e.g. battery")]
KindArg = Annotated[str, Field(description="Words for the kind of product or its category, e.g. headphones")]
RANK_LIMIT = 5
OptionalProductArg = Annotated[
    str | None, Field(description="Only reviews of this product: its SKU, e.g. OUT-300, or its name; omit for all")
]


def _rating(summary: RatingSummary) -> str:
    if not summary["review_count"]:
        return f"{label(summary)} has no reviews yet"
    count = plural(summary["review_count"], "review")
    return f"{label(summary)} is rated {summary['average_rating']:.2f} out of 5 from {count}"


def _points(points: list[Point]) -> str:
    return "; ".join(f'"{p["point"]}" ({plural(p["mentions"], "review")})' for p in points)


def _search_message(result: ReviewSearch, keyword: str, product: Named | None) -> str:
    scope = f" of {label(product)}" if product else ""
    if not result["total"]:
        return f"No reviews{scope} mention '{keyword}'."
    distinct: dict[str, FoundReview] = {}
    for review in result["reviews"]:
        distinct.setdefault(review["body"], review)
    quotes = "; ".join(
        f'"{r["body"]}" ({r["rating"]}★{"" if product else ", " + r["product"]})' for r in list(distinct.values())[:3]
    )
    verb = "mentions" if result["total"] == 1 else "mention"
    return f"{plural(result['total'], 'review')}{scope} {verb} '{keyword}', e.g. {quotes}."


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _named_as(products: list[ProductDetails], kind: str) -> list[ProductDetails]:
    """The products whose names say they are of the kind ("backpack": the Ridge 45L Hiking Backpack, not the
    Backpacking Tent a search also finds); all of them when no name does."""
    wanted = {_singular(w) for w in kind.lower().split()}
    named = [p for p in products if wanted <= {_singular(w) for w in p["name"].lower().split()}]
    return named or products


def build_tools(store: Store) -> list[FunctionTool]:
    """The review-sentiment tools over `store`."""

    async def get_rating_summary(product: ProductArg) -> Result:
        found = await lookup_product(store, product)
        summary = await reviews.rating_summary(store, found["sku"])
        assert summary is not None  # the product was just found
        stars = ", ".join(f"{n} x {s}★" for s, n in reversed(summary["distribution"].items()) if n)
        message = _rating(summary) + (f" ({stars})." if stars else ".")
        return {**summary, "message": message}

    async def get_pros_and_cons(product: ProductArg) -> Result:
        found = await lookup_product(store, product)
        result = await reviews.pros_and_cons(store, found["sku"])
        assert result is not None  # the product was just found
        pros = f" Pros: {_points(result['pros'])}." if result["pros"] else " No positive reviews yet."
        cons = f" Cons: {_points(result['cons'])}." if result["cons"] else " No negative reviews."
        return {**result, "message": f"{_rating(result)}.{pros}{cons}"}

    async def search_reviews(keyword: KeywordArg, product: OptionalProductArg = None) -> Result:
        found = await lookup_product(store, product) if product else None
        result = await reviews.search_reviews(store, keyword, found["sku"] if found else None)
        return {**result, "message": _search_message(result, keyword, found)}

    async def compare_ratings(products: ProductsArg) -> Result:
        found = await lookup_products(store, products)
        result = await reviews.compare_ratings(store, [p["sku"] for p in found])
        best = result["best_rated"]
        assert best is not None  # two or three products were found
        message = f"{'; '.join(_rating(s) for s in result['products'])}. Best rated: {label(best)}."
        return {**result, "message": message}

    async def rank_by_rating(kind: KindArg) -> Result:
        found = await search_products(store, kind, limit=RANK_LIMIT)
        if not found:
            raise failure("not_found", f"I couldn't find products matching '{kind}'.", query=kind)
        result = await reviews.compare_ratings(store, [p["sku"] for p in _named_as(found, kind)])
        ranked = "; ".join(_rating(s) for s in result["products"])
        best = result["best_rated"]
        assert best is not None  # products were found
        message = f"{_rating(best)}." if len(result["products"]) == 1 else f"{ranked}. Best rated: {label(best)}."
        return {**result, "message": message}

    return [
        store_tool(
            get_rating_summary,
            name="get_rating_summary",
            description="How a product is rated: average star rating, number of reviews and the 1-5 star breakdown.",
        ),
        store_tool(
            get_pros_and_cons,
            name="get_pros_and_cons",
            description=(
                "What customers and reviewers say about a product: pros and cons, praise and complaints, with quotes."
            ),
        ),
        store_tool(
            search_reviews,
            name="search_reviews",
            description=(
                "Find customer reviews that mention a topic or keyword, for one product or all products: how "
                "many mention it, with a few quotes and their star ratings."
            ),
        ),
        store_tool(
            compare_ratings,
            name="compare_ratings",
            description=(
                "Compare the ratings of two or three products: which is rated higher, their averages and review counts."
            ),
        ),
        store_tool(
            rank_by_rating,
            name="rank_by_rating",
            description=(
                "Rank the products of a kind or category by their reviews: which one is best rated, with each "
                "one's average rating and review count."
            ),
        ),
    ]
