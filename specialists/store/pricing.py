"""Prices and savings: coupon validation, active deals, bundles, loyalty tiers and the best price for a cart.

A cart maps SKUs (any case) to quantities. Validity uses the store's today, never the wall clock.
The best price applies discounts in a fixed order, each on what the previous ones left:
1. every complete bundle (an item gets at most one), 2. the single most valuable coupon (coupons
don't stack; eligibility and minimum spend are judged on list prices), 3. the loyalty tier's percent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from specialists.store.catalog import canonical_sku, product_summary, products_by_sku
from specialists.store.database import Store
from specialists.store.results import (
    ActiveCoupon,
    AppliedBundle,
    BestPrice,
    BundleDeal,
    BundleEligibility,
    BundleFacts,
    CartLine,
    CouponCheck,
    CouponTerms,
    CouponVerdict,
    MissingBundleItems,
    PartialBundle,
    Tier,
)
from specialists.store.schema import Coupon, Customer, LoyaltyTier, Order, Product, Promotion
from specialists.store.serialize import cents, iso_date, money, to_decimal

Cart = Mapping[str, int]
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class _Line:
    product: Product
    quantity: int

    @property
    def total(self) -> Decimal:
        return to_decimal(self.product.price) * self.quantity


@dataclass(frozen=True)
class _Shopper:
    """What coupon rules need to know about the shopper (all None/False for an anonymous one)."""

    customer_id: str | None
    tier: str | None
    has_orders: bool


def _percent_of(amount: Decimal, percent: float) -> Decimal:
    return cents(amount * to_decimal(percent) / _HUNDRED)


def _cart_lines(session: Session, cart: Cart) -> list[_Line]:
    quantities: dict[str, int] = {}
    for sku, quantity in cart.items():
        if quantity < 1:
            raise ValueError(f"quantity of {sku} must be at least 1")
        quantities[canonical_sku(sku)] = quantities.get(canonical_sku(sku), 0) + quantity
    products = products_by_sku(session, quantities)
    return [_Line(products[sku], quantity) for sku, quantity in quantities.items()]


def _shopper(session: Session, customer_id: str | None) -> _Shopper:
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None:
        return _Shopper(None, None, False)
    prior = session.scalar(
        select(Order.order_id).where(Order.customer_id == customer.customer_id, Order.status != "cancelled").limit(1)
    )
    return _Shopper(customer.customer_id, customer.tier, prior is not None)


def _rule_refusal(coupon: Coupon, today: date, shopper: _Shopper) -> str | None:
    """Why `coupon` can't be used today by `shopper`, whatever the cart; None when it can."""
    if today < coupon.valid_from:
        return f"{coupon.code} is only valid from {iso_date(coupon.valid_from)}."
    if today > coupon.valid_to:
        return f"{coupon.code} expired on {iso_date(coupon.valid_to)}."
    if coupon.tier and shopper.customer_id is None:
        return f"{coupon.code} is for {coupon.tier} members only; please sign in to use it."
    if coupon.tier and shopper.tier != coupon.tier:
        return f"{coupon.code} is for {coupon.tier} members only; your tier is {shopper.tier}."
    if coupon.first_order_only and shopper.customer_id is None:
        return f"{coupon.code} is for a first order only; please sign in to use it."
    if coupon.first_order_only and shopper.has_orders:
        return f"{coupon.code} is for a first order only, and you have ordered before."
    return None


def _check_coupon(
    coupon: Coupon, lines: Sequence[_Line], amounts: Mapping[str, Decimal], today: date, shopper: _Shopper
) -> CouponVerdict:
    """The verdict on `coupon` for the cart; the discount applies to `amounts` (what each line costs so far)."""
    eligible = [line for line in lines if coupon.category in (None, line.product.category)]
    eligible_list = _subtotal(eligible)
    where = f"{coupon.category} items" if coupon.category else "items"
    eligible_subtotal = money(eligible_list)
    refusal = _rule_refusal(coupon, today, shopper)
    if refusal is None and not eligible:
        refusal = f"{coupon.code} applies to {where} only, and the cart has none."
    if refusal is None and eligible_list < to_decimal(coupon.min_spend):
        refusal = f"{coupon.code} needs ${cents(coupon.min_spend)} of {where}; the cart has ${cents(eligible_list)}."
    if refusal is not None:
        valid, reason, discount = False, refusal, Decimal(0)
    else:
        base = sum((amounts[line.product.sku] for line in eligible), Decimal(0))
        if coupon.percent_off:
            discount = _percent_of(base, coupon.percent_off)
            how = f"{coupon.percent_off:g}% off ${cents(base)} of {where}"
        else:
            discount = min(cents(coupon.amount_off or 0), base)
            how = f"${cents(coupon.amount_off or 0)} off {where}"
        valid, reason = True, f"{coupon.code} takes ${discount} off ({how})."
    return {
        "code": coupon.code,
        "description": coupon.description,
        "eligible_subtotal": eligible_subtotal,
        "valid": valid,
        "reason": reason,
        "discount": money(discount),
    }


def _list_amounts(lines: Sequence[_Line]) -> dict[str, Decimal]:
    return {line.product.sku: line.total for line in lines}


def _subtotal(lines: Sequence[_Line]) -> Decimal:
    return sum((line.total for line in lines), Decimal(0))


def _line(line: _Line) -> CartLine:
    return {**product_summary(line.product), "quantity": line.quantity, "line_total": money(line.total)}


async def validate_coupon(store: Store, code: str, cart: Cart, customer_id: str | None = None) -> CouponCheck:
    """Whether `code` applies to `cart` for the customer (None: anonymous) today, why, and what it saves.

    Checks the validity window, tier, first-order rule, category and minimum spend (of the matching items).
    `UnknownProductError` for unknown SKUs, `ValueError` for quantities below 1.
    """

    def read(session: Session) -> tuple[list[_Line], Coupon | None, _Shopper]:
        return _cart_lines(session, cart), session.get(Coupon, code.strip().upper()), _shopper(session, customer_id)

    lines, coupon, shopper = await store.read(read)
    subtotal = _subtotal(lines)
    verdict: CouponVerdict
    if coupon is None:
        verdict = {
            "code": code.strip().upper(),
            "description": None,
            "valid": False,
            "reason": f"There is no coupon with the code {code.strip().upper()}.",
            "discount": 0.0,
            "eligible_subtotal": 0.0,
        }
    else:
        verdict = _check_coupon(coupon, lines, _list_amounts(lines), store.today, shopper)
    return {
        **verdict,
        "items": [_line(line) for line in lines],
        "cart_subtotal": money(subtotal),
        "total_after_discount": money(subtotal - to_decimal(verdict["discount"])),
    }


async def coupon_terms(store: Store, code: str, customer_id: str | None = None) -> CouponTerms | None:
    """What `code` gives and its conditions, and why the shopper can't use it today (None: they can);
    None when there is no such coupon."""

    def read(session: Session) -> tuple[Coupon, _Shopper] | None:
        coupon = session.get(Coupon, code.strip().upper())
        return None if coupon is None else (coupon, _shopper(session, customer_id))

    found = await store.read(read)
    if found is None:
        return None
    coupon, shopper = found
    return {
        "code": coupon.code,
        "description": coupon.description,
        "min_spend": money(coupon.min_spend),
        "category": coupon.category,
        "tier": coupon.tier,
        "first_order_only": coupon.first_order_only,
        "valid_from": iso_date(coupon.valid_from),
        "valid_to": iso_date(coupon.valid_to),
        "refusal": _rule_refusal(coupon, store.today, shopper),
    }


def _active(deal: Coupon | Promotion, today: date) -> bool:
    return deal.valid_from <= today <= deal.valid_to


async def active_coupons(store: Store) -> list[ActiveCoupon]:
    """Coupons valid today, with their conditions."""
    coupons = [c for c in await store.read(_all_coupons) if _active(c, store.today)]
    return [
        {
            "code": c.code,
            "description": c.description,
            "percent_off": c.percent_off,
            "amount_off": None if c.amount_off is None else money(c.amount_off),
            "min_spend": money(c.min_spend),
            "category": c.category,
            "tier": c.tier,
            "first_order_only": c.first_order_only,
            "valid_to": iso_date(c.valid_to),
        }
        for c in coupons
    ]


def _all_coupons(session: Session) -> list[Coupon]:
    return list(session.scalars(select(Coupon).order_by(Coupon.code)))


def _active_promotions(session: Session, today: date) -> list[Promotion]:
    promotions = session.scalars(select(Promotion).order_by(Promotion.promotion_id))
    return [p for p in promotions if _active(p, today)]


async def active_promotions(store: Store) -> list[BundleDeal]:
    """Bundle promotions running today: their items, list price and bundle price."""

    def read(session: Session) -> tuple[list[Promotion], dict[str, Product]]:
        promotions = _active_promotions(session, store.today)
        return promotions, products_by_sku(session, {sku for p in promotions for sku in p.bundle_skus})

    promotions, products = await store.read(read)
    deals: list[BundleDeal] = []
    for promotion in promotions:
        items = [products[sku] for sku in promotion.bundle_skus]
        list_price = sum((to_decimal(p.price) for p in items), Decimal(0))
        discount = sum((_percent_of(to_decimal(p.price), promotion.percent_off) for p in items), Decimal(0))
        deals.append(
            {
                "promotion_id": promotion.promotion_id,
                "name": promotion.name,
                "description": promotion.description,
                "percent_off": promotion.percent_off,
                "items": [product_summary(p) for p in items],
                "list_price": money(list_price),
                "bundle_price": money(list_price - discount),
                "valid_to": iso_date(promotion.valid_to),
            }
        )
    return deals


_Bundles = tuple[list[AppliedBundle], list[PartialBundle], dict[str, Decimal]]


def _apply_bundles(promotions: Sequence[Promotion], lines: Sequence[_Line]) -> _Bundles:
    """(applied bundles, partly filled bundles, what each line costs after the bundles)."""
    by_sku = {line.product.sku: line for line in lines}
    amounts = _list_amounts(lines)
    applied: list[AppliedBundle] = []
    partial: list[PartialBundle] = []
    discounted: set[str] = set()
    for promotion in promotions:
        have = [sku for sku in promotion.bundle_skus if sku in by_sku]
        if not have or discounted.intersection(have):
            continue
        missing = [sku for sku in promotion.bundle_skus if sku not in by_sku]
        summary: BundleFacts = {
            "promotion_id": promotion.promotion_id,
            "name": promotion.name,
            "percent_off": promotion.percent_off,
            "valid_to": iso_date(promotion.valid_to),
        }
        if missing:
            partial.append({**summary, "in_cart": have, "missing": missing})
            continue
        sets = min(by_sku[sku].quantity for sku in have)
        discounts = [_percent_of(to_decimal(by_sku[sku].product.price) * sets, promotion.percent_off) for sku in have]
        for sku, discount in zip(have, discounts, strict=True):
            amounts[sku] -= discount
        discounted.update(have)
        applied.append({**summary, "in_cart": have, "sets": sets, "discount": money(sum(discounts, Decimal(0)))})
    return applied, partial, amounts


async def bundle_eligibility(store: Store, cart: Cart) -> BundleEligibility:
    """Which bundles today's cart completes (and their discount) and which it only partly fills (and what's missing)."""

    def read(session: Session) -> tuple[list[_Line], _Bundles, dict[str, Product]]:
        lines = _cart_lines(session, cart)
        bundles = _apply_bundles(_active_promotions(session, store.today), lines)
        return lines, bundles, products_by_sku(session, {sku for p in bundles[1] for sku in p["missing"]})

    lines, (applied, partial, amounts), missing = await store.read(read)
    missing_items: list[MissingBundleItems] = [
        {**bundle, "missing": [product_summary(missing[sku]) for sku in bundle["missing"]]} for bundle in partial
    ]
    return {
        "items": [_line(line) for line in lines],
        "eligible": applied,
        "partial": missing_items,
        "discount": money(_subtotal(lines) - sum(amounts.values(), Decimal(0))),
    }


async def loyalty_tiers(store: Store) -> list[Tier]:
    """Every loyalty tier's discount and free-shipping threshold, smallest discount first."""
    statement = select(LoyaltyTier).order_by(LoyaltyTier.discount_percent)
    tiers = await store.read(lambda session: list(session.scalars(statement)))
    return [
        {
            "tier": t.tier,
            "discount_percent": t.discount_percent,
            "free_shipping_min_spend": money(t.free_shipping_min_spend),
        }
        for t in tiers
    ]


async def customer_tier(store: Store, customer_id: str) -> str | None:
    """The loyalty tier of the customer, None when unknown."""
    customer = await store.read(lambda session: session.get(Customer, customer_id))
    return customer.tier if customer else None


async def best_price(store: Store, cart: Cart, customer_id: str | None = None) -> BestPrice:
    """The lowest price of `cart` for the customer: bundles, then the best single coupon, then the loyalty tier.

    Returns the breakdown of each step, the coupons considered and whether shipping is free for the tier.
    `UnknownProductError` for unknown SKUs, `ValueError` for quantities below 1.
    """

    def read(session: Session) -> tuple[list[_Line], _Shopper, list[Promotion], list[Coupon], LoyaltyTier | None]:
        lines, shopper = _cart_lines(session, cart), _shopper(session, customer_id)
        tier = session.get(LoyaltyTier, shopper.tier) if shopper.tier else None
        return lines, shopper, _active_promotions(session, store.today), _all_coupons(session), tier

    lines, shopper, promotions, coupons, tier = await store.read(read)
    subtotal = _subtotal(lines)
    bundles, _, amounts = _apply_bundles(promotions, lines)
    bundle_discount = subtotal - sum(amounts.values(), Decimal(0))
    verdicts = [_check_coupon(c, lines, amounts, store.today, shopper) for c in coupons]
    best = max((v for v in verdicts if v["valid"]), key=lambda v: (v["discount"], v["code"]), default=None)
    coupon_discount = to_decimal(best["discount"]) if best else Decimal(0)
    after_coupon = subtotal - bundle_discount - coupon_discount
    loyalty_discount = _percent_of(after_coupon, tier.discount_percent) if tier else Decimal(0)
    total = after_coupon - loyalty_discount
    return {
        "items": [_line(line) for line in lines],
        "subtotal": money(subtotal),
        "bundles": bundles,
        "bundle_discount": money(bundle_discount),
        "coupon": best,
        "coupon_discount": money(coupon_discount),
        "loyalty": None
        if tier is None
        else {"tier": tier.tier, "discount_percent": tier.discount_percent, "discount": money(loyalty_discount)},
        "loyalty_discount": money(loyalty_discount),
        "total_discount": money(subtotal - total),
        "total": money(total),
        "free_shipping": None if tier is None else total >= to_decimal(tier.free_shipping_min_spend),
        "coupons_considered": [
            {"code": v["code"], "valid": v["valid"], "discount": v["discount"], "reason": v["reason"]} for v in verdicts
        ],
        "applied_in_order": ["bundles", "one coupon", "loyalty tier"],
    }
