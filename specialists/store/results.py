"""The shapes of the store's query results: JSON-ready dicts (money as floats, dates as ISO strings).

The tools add a prose `message` and hand them to the model as they are, so they stay plain dicts;
these `TypedDict`s name their keys and value types for the type checker.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class Named(TypedDict):
    """Any result that names one product."""

    sku: str
    name: str


# Catalog

AttributeValue = str | int | float | bool | list[str]


class ProductSummary(TypedDict):
    """The identifying facts of a product."""

    sku: str
    name: str
    brand: str
    category: str
    price: float
    currency: str


class ProductDetails(ProductSummary):
    """A product with its description and specifications."""

    description: str
    attributes: dict[str, AttributeValue]


class SimilarProduct(ProductDetails):
    """A product like another one, and how much more (or less) it costs."""

    price_difference: float


class ProductComparison(TypedDict):
    """Products side by side: every attribute per SKU, the cheapest and the price spread."""

    products: list[ProductDetails]
    attributes: dict[str, dict[str, AttributeValue | None]]
    cheapest: ProductSummary
    price_spread: float


# Inventory and fulfillment


class WarehouseFacts(TypedDict):
    """A warehouse: its id, location and region."""

    warehouse_id: str
    location: str
    region: str


class WarehouseStock(WarehouseFacts):
    """Units of a product held in one warehouse."""

    quantity: int


class UpcomingRestock(WarehouseFacts):
    """A restock expected at a warehouse."""

    quantity: int
    expected_date: str


class StockLevels(TypedDict):
    """Units of a product per warehouse and in total."""

    sku: str
    name: str
    total: int
    in_stock: bool
    warehouses: list[WarehouseStock]
    next_restock: NotRequired[UpcomingRestock | None]  # set when nothing is in stock


class Restocks(TypedDict):
    """A product's stock now and the restocks expected from today on, soonest first."""

    sku: str
    name: str
    in_stock_now: int
    restocks: list[UpcomingRestock]
    next: UpcomingRestock | None


class Rate(TypedDict):
    """One carrier service between two regions: its cost and days."""

    carrier: str
    service: str
    from_region: str
    to_region: str
    cost: float
    days: int


class Carriers(TypedDict):
    """The carrier services from one region to another, cheapest first."""

    from_region: str
    to_region: str
    carriers: list[str]
    options: list[Rate]


class ShippingOption(Rate):
    """A carrier service from a warehouse that holds the units, and the delivery date."""

    from_warehouse: str
    from_location: str
    estimated_delivery: str


class ShippingEstimate(TypedDict):
    """How units of a product can ship to a region: every option, the cheapest and the fastest."""

    sku: str
    name: str
    to_region: str
    quantity: int
    in_stock: bool
    nearest_warehouse: WarehouseFacts | None
    cheapest: ShippingOption | None
    fastest: ShippingOption | None
    options: list[ShippingOption]
    next_restock: UpcomingRestock | None


# Orders


class OrderSummary(TypedDict):
    """One line of a shopper's order list."""

    order_id: str
    created_at: str
    status: str
    total: float
    item_count: int
    items: list[str]


class OrderItem(TypedDict):
    """One product of an order and what it cost."""

    sku: str
    name: str
    quantity: int
    unit_price: float
    line_total: float


class Shipment(TypedDict):
    """How an order travels: carrier, tracking and dates."""

    carrier: str
    service: str
    tracking_number: str
    shipped_at: str | None
    estimated_delivery: str | None
    delivered_at: str | None
    last_location: str | None


class StatusChange(TypedDict):
    """An order's status from a moment on."""

    status: str
    at: str


class OrderDetails(TypedDict):
    """An order with its items, amounts, shipment and status history."""

    order_id: str
    created_at: str
    status: str
    total: float
    item_count: int
    items: list[OrderItem]
    subtotal: float
    shipping_cost: float
    shipping_region: str
    shipment: Shipment | None
    status_history: list[StatusChange]
    cancellable: bool


class Tracking(TypedDict):
    """Where an order is: status, latest update and shipment."""

    order_id: str
    status: str
    shipping_region: str
    items: list[OrderItem]
    last_update: StatusChange | None
    shipment: Shipment | None


class CancelRefused(TypedDict):
    """A cancellation that was refused, and why; nothing changed."""

    order_id: str
    cancelled: Literal[False]
    status: str
    reason: str


class Cancelled(TypedDict):
    """A cancelled order."""

    order_id: str
    cancelled: Literal[True]
    status: str
    cancelled_at: str
    total: float
    items: list[str]


# Pricing and promotions


class CouponVerdict(TypedDict):
    """Whether a coupon applies to a cart, why, and what it takes off."""

    code: str
    description: str | None
    valid: bool
    reason: str
    discount: float
    eligible_subtotal: float


class CartLine(ProductSummary):
    """A product in a cart, its quantity and line total."""

    quantity: int
    line_total: float


class CouponCheck(CouponVerdict):
    """A coupon's verdict for a cart, with the cart's lines and totals."""

    items: list[CartLine]
    cart_subtotal: float
    total_after_discount: float


class CouponTerms(TypedDict):
    """What a coupon gives and its conditions, and why the shopper can't use it today (None: they can)."""

    code: str
    description: str
    min_spend: float
    category: str | None
    tier: str | None
    first_order_only: bool
    valid_from: str
    valid_to: str
    refusal: str | None


class ActiveCoupon(TypedDict):
    """A coupon valid today and its conditions."""

    code: str
    description: str
    percent_off: float | None
    amount_off: float | None
    min_spend: float
    category: str | None
    tier: str | None
    first_order_only: bool
    valid_to: str


class BundleDeal(TypedDict):
    """A bundle running today: its items, list price and bundle price."""

    promotion_id: str
    name: str
    description: str
    percent_off: float
    items: list[ProductSummary]
    list_price: float
    bundle_price: float
    valid_to: str


class BundleFacts(TypedDict):
    """Which bundle promotion, and its last day."""

    promotion_id: str
    name: str
    percent_off: float
    valid_to: str


class AppliedBundle(BundleFacts):
    """A bundle the cart completes (its SKUs), how many times, and its discount."""

    in_cart: list[str]
    sets: int
    discount: float


class PartialBundle(BundleFacts):
    """A bundle the cart only partly fills, and the SKUs it lacks."""

    in_cart: list[str]
    missing: list[str]


class MissingBundleItems(BundleFacts):
    """A bundle the cart only partly fills, and the products it lacks."""

    in_cart: list[str]
    missing: list[ProductSummary]


class BundleEligibility(TypedDict):
    """The bundles a cart completes and those it only partly fills."""

    items: list[CartLine]
    eligible: list[AppliedBundle]
    partial: list[MissingBundleItems]
    discount: float


class Tier(TypedDict):
    """A loyalty tier's discount and free-shipping threshold."""

    tier: str
    discount_percent: float
    free_shipping_min_spend: float


class LoyaltyDiscount(TypedDict):
    """What the shopper's loyalty tier takes off."""

    tier: str
    discount_percent: float
    discount: float


class CouponConsidered(TypedDict):
    """A coupon the best price weighed, and the verdict."""

    code: str
    valid: bool
    discount: float
    reason: str


class BestPrice(TypedDict):
    """The lowest price of a cart, step by step: bundles, one coupon, the loyalty tier."""

    items: list[CartLine]
    subtotal: float
    bundles: list[AppliedBundle]
    bundle_discount: float
    coupon: CouponVerdict | None
    coupon_discount: float
    loyalty: LoyaltyDiscount | None
    loyalty_discount: float
    total_discount: float
    total: float
    free_shipping: bool | None
    coupons_considered: list[CouponConsidered]
    applied_in_order: list[str]


# Reviews


class ReviewFacts(TypedDict):
    """One review."""

    review_id: str
    sku: str
    rating: int
    title: str
    body: str
    author: str
    created_at: str
    verified_purchase: bool


class FoundReview(ReviewFacts):
    """A review a search found, with its product's name."""

    product: str


class RatingSummary(TypedDict):
    """A product's average rating, review count and star distribution."""

    sku: str
    name: str
    average_rating: float | None
    review_count: int
    distribution: dict[str, int]
    verified_count: int


class Quote(TypedDict):
    """A review sentence quoted as an example of a point."""

    quote: str
    rating: int
    author: str


class Point(TypedDict):
    """A statement reviews make, how many make it, and quotes."""

    point: str
    mentions: int
    examples: list[Quote]


class ProsAndCons(RatingSummary):
    """A rating summary with what reviewers praise and complain about."""

    positive_count: int
    negative_count: int
    pros: list[Point]
    cons: list[Point]


class ReviewSearch(TypedDict):
    """The newest reviews that mention a keyword, and how many do."""

    keyword: str
    sku: str | None
    total: int
    reviews: list[FoundReview]


class RatingComparison(TypedDict):
    """Rating summaries of products, best rated first."""

    products: list[RatingSummary]
    best_rated: RatingSummary | None
