"""The six agents, each defined once: name, routing description, instructions and A2A skills.

The orchestrator reads these to build its proxies and handoff descriptions; each specialist service
reads its own entry to build its agent and its agent card.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Skill:
    """An A2A skill advertised on a specialist's card."""

    id: str
    name: str
    description: str
    tags: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class AgentDefinition:
    """Everything both sides of the A2A line need to know about one agent."""

    name: str
    description: str
    instructions: str
    skills: tuple[Skill, ...] = field(default_factory=tuple)
    topics: str = ""  # what a specialist owns, in a few words; the others' instructions disown it


HAND_BACK = (
    "If the shopper asks about something outside your domain, do not answer it and do not guess: "
    "call the handoff tool to the orchestrator, so that the right specialist takes over."
)

ORCHESTRATOR = AgentDefinition(
    name="orchestrator",
    description=(
        "General help and routing: greetings, goodbyes, what the assistant can do, and any ask that belongs "
        "to another specialist, which it routes to the one that owns it."
    ),
    instructions=(
        "You are the first point of contact of an online store's support chat. Greet the shopper, say briefly "
        "what you can help with, and answer only general questions that no specialist owns. For anything about "
        "products, orders, prices and coupons, reviews, or stock and shipping, call the handoff tool of the "
        "specialist that owns it; never answer those yourself and never invent store facts."
    ),
)

PRODUCT_DISCOVERY = AgentDefinition(
    name="product-discovery",
    description=(
        "Product discovery: finds and shows products in the catalog, searches by need, category, brand, feature "
        "or price range, tells about a product with its details and specifications, compares products, "
        "recommends similar items or alternatives for a shopper who wants or is looking for something to buy "
        "(the catalog carries audio: headphones, earbuds, speakers, soundbars; "
        "kitchen: espresso machines, grinders, kettles, knives, blenders; "
        "outdoor: tents, sleeping bags, backpacks, stoves; "
        "home office: desks, chairs, monitors, keyboards, webcams; "
        "wearables: smartwatches, fitness bands; apparel: jackets, shoes). "
        "Not for stock levels, orders, coupons or reviews."
    ),
    instructions=(
        "You help shoppers find products. Use your tools to search the catalog, show a product's details "
        "and specifications, compare two or three products and suggest similar ones. Quote names, SKUs, "
        "prices and attributes exactly as the tools return them. " + HAND_BACK
    ),
    skills=(
        Skill(
            "search-products",
            "Search products",
            "Search the catalog by text, category, price and feature.",
            ("catalog", "search"),
            ("noise-cancelling headphones under $200", "show me tents"),
        ),
        Skill(
            "product-details",
            "Product details",
            "Specifications and description of one product.",
            ("catalog",),
            ("tell me about the AeroBrew espresso machine",),
        ),
        Skill(
            "compare-products",
            "Compare products",
            "Side-by-side comparison of two or three products.",
            ("catalog", "compare"),
            ("compare AUD-100 and AUD-101",),
        ),
        Skill(
            "similar-products",
            "Similar products",
            "Alternatives to a product.",
            ("catalog", "recommendations"),
            ("something like the Aurora headphones",),
        ),
    ),
    topics="finding, showing or recommending products to buy, telling about a product, its details and specifications",
)

ORDER_MANAGEMENT = AgentDefinition(
    name="order-management",
    description=(
        "Order management: the signed-in shopper's own orders. Lists my orders, order details and items, "
        "order status and status history, tracking a shipment or package (where is my order, carrier, "
        "tracking number, delivery date), and cancelling an order. Order ids look like ORD-1001. "
        "Not for product questions, stock, prices or coupons."
    ),
    instructions=(
        "You handle the shopper's own orders: list them, show details, track shipments and cancel orders "
        "that are still placed or processing. Never cancel without the shopper's explicit confirmation: "
        "say what will be cancelled (order, items, amount) and ask. Anonymous shoppers must sign in "
        "before you can look at orders. " + HAND_BACK
    ),
    skills=(
        Skill(
            "list-orders",
            "List my orders",
            "The signed-in shopper's orders, optionally by status.",
            ("orders",),
            ("show my orders", "which of my orders are shipped?"),
        ),
        Skill(
            "order-details",
            "Order details",
            "Items, amounts and status history of one order.",
            ("orders",),
            ("what was in ORD-1002?",),
        ),
        Skill(
            "track-order",
            "Track an order",
            "Carrier, tracking number, last location, delivery estimate.",
            ("orders", "tracking"),
            ("where is my order ORD-1001?",),
        ),
        Skill(
            "cancel-order",
            "Cancel an order",
            "Cancel a placed or processing order after confirmation.",
            ("orders", "cancel"),
            ("cancel my last order",),
        ),
    ),
    topics="the shopper's orders, order status, tracking a package, cancelling an order",
)

PRICING_PROMOTIONS = AgentDefinition(
    name="pricing-promotions",
    description=(
        "Pricing and promotions: coupons and discount codes (is a code valid, how much it saves), current "
        "deals, promotions and bundles, loyalty tier discounts, and the best price for a cart. "
        "Coupon codes look like TRAIL20. Not for stock, orders or reviews."
    ),
    instructions=(
        "You handle prices and savings: validate coupons against a cart or product, list active deals and "
        "bundles, check bundle eligibility and work out the best price for a cart combining coupon, bundle "
        "and loyalty discounts. Quote amounts exactly as the tools return them. " + HAND_BACK
    ),
    skills=(
        Skill(
            "validate-coupon",
            "Validate a coupon",
            "Checks a code's expiry, minimum spend, category, tier.",
            ("coupons",),
            ("is TRAIL20 valid for the TrailPeak 2 tent?",),
        ),
        Skill(
            "active-deals",
            "Active deals",
            "Promotions and bundles running today.",
            ("promotions",),
            ("any deals on coffee gear?",),
        ),
        Skill(
            "best-price",
            "Best price for a cart",
            "Best combination of coupon, bundle and loyalty discount.",
            ("pricing",),
            ("best price for KIT-200 and KIT-201",),
        ),
    ),
    topics="coupons, discount codes, deals, promotions, bundles, loyalty tiers and member discounts",
)

REVIEW_SENTIMENT = AgentDefinition(
    name="review-sentiment",
    description=(
        "Review sentiment: what customers say about a product. Reviews, star ratings, average rating, "
        "pros and cons, complaints and praise, searching reviews for a topic, and comparing ratings of "
        "products. Not for stock, prices or orders."
    ),
    instructions=(
        "You summarise customer reviews: rating summaries, pros and cons, reviews mentioning a topic, "
        "and rating comparisons. Base every statement on the reviews the tools return. " + HAND_BACK
    ),
    skills=(
        Skill(
            "rating-summary",
            "Rating summary",
            "Average rating, count and distribution of a product.",
            ("reviews",),
            ("how is the AeroBrew rated?",),
        ),
        Skill(
            "pros-cons",
            "Pros and cons",
            "What reviewers like and dislike.",
            ("reviews", "sentiment"),
            ("what do people say about the Aurora headphones?",),
        ),
        Skill(
            "search-reviews",
            "Search reviews",
            "Reviews that mention a keyword.",
            ("reviews",),
            ("reviews of the tent mentioning rain",),
        ),
        Skill(
            "compare-ratings",
            "Compare ratings",
            "Ratings of two or three products side by side.",
            ("reviews", "compare"),
            ("which is rated higher, AUD-100 or AUD-101?",),
        ),
    ),
    topics="reviews, ratings, stars, pros and cons, what people say about a product",
)

INVENTORY_FULFILLMENT = AgentDefinition(
    name="inventory-fulfillment",
    description=(
        "Inventory and fulfillment: is a product in stock or available, stock per warehouse, when it is "
        "back in stock (restock), shipping and delivery estimates to a region, shipping cost and options, "
        "carriers. Regions: us-east, us-central, us-west, eu-central. Not for orders already placed, "
        "prices or reviews."
    ),
    instructions=(
        "You answer availability and shipping questions: stock per warehouse, next restock, shipping "
        "estimates (cheapest and fastest option from the nearest warehouse with stock) and carriers "
        "between regions. Quote quantities, dates and costs exactly as the tools return them. " + HAND_BACK
    ),
    skills=(
        Skill(
            "stock-check",
            "Stock check",
            "Units in stock per warehouse.",
            ("inventory",),
            ("is OUT-300 in stock?", "is the TrailPeak 2 tent available?"),
        ),
        Skill(
            "restock",
            "Next restock",
            "When a product is expected back in stock.",
            ("inventory",),
            ("when is the AeroBrew espresso machine back?",),
        ),
        Skill(
            "shipping-estimate",
            "Shipping estimate",
            "Cheapest and fastest delivery to a region.",
            ("shipping",),
            ("how fast can OUT-300 ship to eu-central?",),
        ),
        Skill(
            "carriers",
            "Carriers",
            "Carriers and services between two regions.",
            ("shipping",),
            ("which carriers ship from us-east to us-west?",),
        ),
    ),
    topics="stock, availability, restocks, shipping to a region, delivery estimates, carriers",
)


def _with_boundaries(definition: AgentDefinition, everyone: tuple[AgentDefinition, ...]) -> AgentDefinition:
    """The definition with a closing sentence in its instructions naming what the other specialists own."""
    others = "; ".join(d.topics for d in everyone if d is not definition)
    return replace(definition, instructions=f"{definition.instructions} Not yours (hand back): {others}.")


_OWN = (PRODUCT_DISCOVERY, ORDER_MANAGEMENT, PRICING_PROMOTIONS, REVIEW_SENTIMENT, INVENTORY_FULFILLMENT)
SPECIALISTS: tuple[AgentDefinition, ...] = tuple(_with_boundaries(d, _OWN) for d in _OWN)
SPECIALIST_NAMES: tuple[str, ...] = tuple(d.name for d in SPECIALISTS)
AGENTS: dict[str, AgentDefinition] = {d.name: d for d in (ORCHESTRATOR, *SPECIALISTS)}
# The module's names stand for the complete definitions, boundaries included.
PRODUCT_DISCOVERY, ORDER_MANAGEMENT, PRICING_PROMOTIONS, REVIEW_SENTIMENT, INVENTORY_FULFILLMENT = SPECIALISTS


def get_definition(name: str) -> AgentDefinition:
    """The definition of the agent called `name`; `KeyError` names the known agents otherwise."""
    try:
        return AGENTS[name]
    except KeyError:
        raise KeyError(f"unknown agent {name!r}; known: {', '.join(AGENTS)}") from None
