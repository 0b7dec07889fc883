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
    "If the shopper asks about something your tools do not cover, do not answer it and do not guess: call "
    "the handoff tool to the orchestrator, which passes the conversation to the specialist that owns it."
)
ANSWER_STYLE = (
    "Every tool result carries a `message` sentence that states its answer; reply from it and the result's "
    "fields like a helpful store assistant: the facts the shopper asked for in one to three short sentences, "
    "amounts as $1,234.50, dates as Nov 21, 2026, and no field names, JSON or lists of raw values. When a "
    "tool needs a value the shopper did not give, look for it in the conversation or with another tool first, "
    "and ask the shopper only when it cannot be found."
)

ORCHESTRATOR = AgentDefinition(
    name="orchestrator",
    description=(
        "The front desk: answers greetings, thanks and goodbyes, explains what the store's assistant can do and "
        "passes every store question to the specialist that owns it. Hand the conversation back to it for "
        "anything outside your own tools."
    ),
    instructions=(
        "You are the front desk of an online store's support chat. Greet the shopper and say briefly what you "
        "can help with: finding products, their own orders, prices and coupons, reviews, and stock and "
        "shipping. For any question about those, call the handoff tool of the specialist whose description "
        "covers it, even when the question is vague or misspelt; if a message asks two things, hand off for "
        "the first. Answer yourself only greetings, thanks, goodbyes and questions about what you can do; for "
        "anything unrelated to the store, say politely that you can only help with shopping here. Never "
        "state product, order, price, stock or review facts yourself: only the specialists' tools know them."
    ),
)

PRODUCT_DISCOVERY = AgentDefinition(
    name="product-discovery",
    description=(
        "Product discovery: finds products in the catalog for a need, a gift, a name, brand, feature, category "
        "or price range, tells about one product (details and specifications), compares two or three products "
        "and recommends similar items or alternatives. The catalog has audio (headphones, earbuds, speakers, "
        "soundbars), kitchen (espresso machines, grinders, kettles, knives, blenders), outdoor (tents, "
        "sleeping bags, backpacks, stoves), home office (desks, chairs, monitors, keyboards, webcams), "
        "wearables (smartwatches, fitness bands) and apparel (jackets, shoes). "
        "Not for stock levels, orders, coupons, deals or reviews."
    ),
    instructions=(
        "You help shoppers find products. Search the catalog for what they need (for an indirect ask such as "
        "a gift for a coffee lover, search for the products that interest suggests), show one product's "
        "details and specifications, compare two or three products and suggest similar ones. Quote names, "
        "SKUs, prices and features exactly as the tools return them. " + ANSWER_STYLE + " " + HAND_BACK
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
        "Order management: the signed-in shopper's own orders. Lists their orders, shows an order's items, "
        "amounts and status history, tracks a shipment or package (where an order is now, its carrier, "
        "tracking number and delivery date) and cancels an order. Order ids look like ORD-1001. "
        "Not for product questions, stock, prices or coupons."
    ),
    instructions=(
        "You handle the signed-in shopper's own orders: list them, show an order's details, track shipments "
        "and cancel orders that are still placed or processing. The shopper is known from the session, never "
        "from the message; when they describe an order instead of giving its id (my grinder, my last order), "
        "list their orders and pick the one they mean. Cancelling only proposes the cancellation; the shopper "
        "confirms it with a yes, so never claim an order is cancelled before that. Anonymous shoppers must "
        "sign in before you can look at orders. " + ANSWER_STYLE + " " + HAND_BACK
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
        "Pricing and promotions: coupons and discount codes (what a code gives, whether it is valid for a cart "
        "and how much it saves), current deals, promotions and bundles, loyalty tier discounts, and the best "
        "price for a cart. Coupon codes look like TRAIL20. Not for stock, orders or reviews."
    ),
    instructions=(
        "You handle prices and savings: explain and validate coupons against a cart or product, list active "
        "deals and bundles, check bundle eligibility and work out the best price for a cart combining coupon, "
        "bundle and loyalty discounts. The shopper's tier and order history come from the session; anonymous "
        "shoppers get public prices. Quote amounts exactly as the tools return them. " + ANSWER_STYLE + " " + HAND_BACK
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
        "pros and cons, complaints and praise, reviews that mention a topic, and comparing the ratings of "
        "products. Not for stock, prices or orders."
    ),
    instructions=(
        "You summarise customer reviews: rating summaries, pros and cons, reviews mentioning a topic, and "
        "rating comparisons. Base every statement on the reviews the tools return, and give the average "
        "rating with the number of reviews. " + ANSWER_STYLE + " " + HAND_BACK
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
        "Inventory and fulfillment: whether a product is in stock or available, stock per warehouse, when it "
        "is back in stock or restocked, shipping and delivery estimates to a region, shipping cost and options, "
        "carriers. Regions: us-east, us-central, us-west, eu-central. Not for orders already placed, "
        "prices or reviews."
    ),
    instructions=(
        "You answer availability and shipping questions: stock per warehouse, the next restock, shipping "
        "estimates (cheapest and fastest option from the nearest warehouse with stock) and carriers between "
        "regions. A signed-in shopper's own region is used when they name none. Quote quantities, dates and "
        "costs exactly as the tools return them. " + ANSWER_STYLE + " " + HAND_BACK
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
