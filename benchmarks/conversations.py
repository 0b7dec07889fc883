"""The scripted conversations every setup answers: data only.

Each turn is tagged `first` (the conversation's opening ask), `same` (a follow-up in the domain of the
agent that answered last) or `out` (a follow-up another specialist owns), with the agent expected to
answer and facts from the seed (`specialists/store/seed/store_seed.json`) its reply should state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["first", "same", "out"]
KINDS: tuple[Kind, ...] = ("first", "same", "out")

PD = "product-discovery"
ORD = "order-management"
PRICE = "pricing-promotions"
REV = "review-sentiment"
INV = "inventory-fulfillment"


@dataclass(frozen=True)
class Turn:
    """One shopper message, what kind of turn it is, who should answer and what the reply should mention."""

    text: str
    kind: Kind
    expect: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    """A scripted conversation; `customer` signs the shopper in (order asks need it)."""

    id: str
    turns: tuple[Turn, ...]
    customer: str | None = None


def _t(text: str, kind: Kind, expect: str, *facts: str) -> Turn:
    return Turn(text, kind, expect, facts)


CONVERSATIONS: tuple[Conversation, ...] = (
    Conversation(
        "tent-stock",
        (
            _t("Is the TrailPeak 2 tent in stock?", "first", INV, "WH-WEST"),
            _t("Can it ship to eu-central?", "same", INV, "eu-central"),
            _t("Is TRAIL20 valid for the TrailPeak 2 tent?", "out", PRICE, "TRAIL20"),
        ),
    ),
    Conversation(
        "track-order",
        (
            _t("Where is my order ORD-1001?", "first", ORD, "PA1001347044"),
            _t("What was in ORD-1002?", "same", ORD, "ORD-1002"),
            _t("Is OUT-300 in stock?", "out", INV, "WH-WEST"),
        ),
        customer="CUST-001",
    ),
    Conversation(
        "headphones",
        (
            _t("Do you have noise-cancelling headphones under $200?", "first", PD, "AUD-100"),
            _t("Tell me more about the Aurora ANC Over-Ear Headphones", "same", PD, "Sonora"),
            _t("What do people say about the Aurora ANC Over-Ear Headphones?", "out", REV, "AUD-100"),
        ),
    ),
    Conversation(
        "coupons",
        (
            _t("Is TRAIL20 valid for the TrailPeak 2 tent?", "first", PRICE, "TRAIL20"),
            _t("Is SUMMER30 valid for the StormShell Rain Jacket?", "same", PRICE, "SUMMER30"),
            _t("Is the StormShell Rain Jacket in stock?", "out", INV, "APP-600"),
        ),
    ),
    Conversation(
        "espresso-reviews",
        (
            _t("What do people say about the AeroBrew Espresso Machine?", "first", REV, "KIT-200"),
            _t("How is the AeroBrew Burr Grinder rated?", "same", REV, "KIT-201"),
            _t("Any deals on kitchen gear?", "out", PRICE, "Barista"),
        ),
    ),
    Conversation(
        "restock",
        (
            _t("When will the AeroBrew Espresso Machine be back in stock?", "first", INV, "2026-11-29"),
            _t("Which carriers ship from us-east to us-west?", "same", INV, "us-west"),
            _t("Show me my orders", "out", ORD, "ORD-1004"),
        ),
        customer="CUST-002",
    ),
    Conversation(
        "my-orders",
        (
            _t("Show me my orders", "first", ORD, "ORD-1004"),
            _t("What was in ORD-1004?", "same", ORD, "ErgoDesk"),
            _t("Tell me about the ErgoDesk Standing Desk", "out", PD, "OFF-400"),
        ),
        customer="CUST-002",
    ),
    Conversation(
        "tents",
        (
            _t("Show me tents", "first", PD, "OUT-300"),
            _t("Compare OUT-300 and OUT-301", "same", PD, "OUT-301"),
            _t("Which is rated higher, OUT-300 or OUT-301?", "out", REV, "OUT-301"),
        ),
    ),
    Conversation(
        "kitchen-deals",
        (
            _t("Any bundles for the AeroBrew Espresso Machine?", "first", PRICE, "Barista"),
            _t("What's the best price for KIT-200 and KIT-201?", "same", PRICE, "KIT-201"),
            _t("Where is my order ORD-1010?", "out", ORD, "ORD-1010"),
        ),
        customer="CUST-005",
    ),
    Conversation(
        "chair-reviews",
        (
            _t("Pros and cons of the ErgoChair Mesh Pro", "first", REV, "OFF-401"),
            _t("Reviews of the ErgoChair Mesh Pro mentioning comfort", "same", REV, "comfort"),
            _t("Is the ErgoChair Mesh Pro in stock?", "out", INV, "OFF-401"),
            _t("Can it ship to eu-central?", "same", INV, "eu-central"),
        ),
    ),
    Conversation(
        "shipping",
        (
            _t("How fast can OUT-300 ship to eu-central?", "first", INV, "eu-central"),
            _t("And to us-east?", "same", INV, "us-east"),
            _t("Is AUDIO25 valid for the Aurora Pro ANC Headphones?", "out", PRICE, "AUDIO25"),
        ),
    ),
    Conversation(
        "shipped-order",
        (
            _t("Track my order ORD-1006", "first", ORD, "ORD-1006"),
            _t("Which of my orders are shipped?", "same", ORD, "ORD-1025"),
            _t("Is the AeroBrew Espresso Machine in stock?", "out", INV, "KIT-200"),
        ),
        customer="CUST-003",
    ),
    Conversation(
        "smartwatch",
        (
            _t("Tell me about the Stride Smartwatch S3", "first", PD, "WEA-500"),
            _t("Something similar to the Stride Smartwatch S3?", "same", PD, "WEA-50"),
            _t("What's my loyalty discount?", "out", PRICE, "gold"),
        ),
        customer="CUST-001",
    ),
    Conversation(
        "loyalty",
        (
            _t("What's my loyalty discount?", "first", PRICE, "gold"),
            _t("Is GOLDVIP15 valid for the ErgoChair Mesh Pro?", "same", PRICE, "GOLDVIP15"),
            _t("How is the ErgoChair Mesh Pro rated?", "out", REV, "OFF-401"),
        ),
        customer="CUST-001",
    ),
    Conversation(
        "tent-reviews",
        (
            _t("How is the TrailPeak 2 tent rated?", "first", REV, "OUT-300"),
            _t("Reviews of the TrailPeak 2 tent mentioning rain", "same", REV, "rain"),
            _t("Show me sleeping bags", "out", PD, "OUT-302"),
        ),
    ),
    Conversation(
        "smart-ring",
        (
            _t("Is the Smart Ring R1 available?", "first", INV, "WEA-503"),
            _t("When is it back in stock?", "same", INV, "WEA-503"),
            _t("What do people say about the Smart Ring R1?", "out", REV, "WEA-503"),
        ),
    ),
    Conversation(
        "orders-then-deals",
        (
            _t("Show me my orders", "first", ORD, "ORD-1019"),
            _t("Where is ORD-1019?", "same", ORD, "ORD-1019"),
            _t("Any deals on outdoor gear?", "out", PRICE, "TRAIL20"),
        ),
        customer="CUST-004",
    ),
    Conversation(
        "espresso-search",
        (
            _t("Espresso machines under $500", "first", PD, "KIT-200"),
            _t("Compare KIT-200 and KIT-206", "same", PD, "KIT-206"),
            _t("Is the PourOver Kettle 1L in stock?", "out", INV, "KIT-202"),
        ),
    ),
    Conversation(
        "bundles",
        (
            _t("Do KIT-200 and KIT-201 qualify for a bundle?", "first", PRICE, "Barista"),
            _t("What's the best price for OFF-400 and OFF-401?", "same", PRICE, "OFF-401"),
            _t("Tell me about the ErgoDesk Standing Desk", "out", PD, "OFF-400"),
        ),
    ),
    Conversation(
        "ratings",
        (
            _t("Which is rated higher, AUD-100 or AUD-101?", "first", REV, "AUD-101"),
            _t("What do people say about the Pulse Buds ANC?", "same", REV, "AUD-103"),
            _t("Where is my order ORD-1013?", "out", ORD, "ORD-1013"),
        ),
        customer="CUST-002",
    ),
    Conversation(
        "carriers",
        (
            _t("Which carriers ship from us-central to eu-central?", "first", INV, "eu-central"),
            _t("How fast can the Headlamp HL-400 ship to us-west?", "same", INV, "us-west"),
            _t("Show me mechanical keyboards", "out", PD, "OFF-404"),
        ),
    ),
    Conversation(
        "keyboard",
        (
            _t("Tell me about the Mechanical Keyboard K87", "first", PD, "OFF-404"),
            _t("Compare OFF-404 and OFF-405", "same", PD, "OFF-405"),
            _t("Pros and cons of the Mechanical Keyboard K87", "out", REV, "OFF-404"),
        ),
    ),
)

# One long conversation: the same five asks four times over (a stock ask, two same-domain follow-ups, a
# coupon ask and its follow-up), so the bytes of turns 16..20 can be compared with turns 6..10 like for like:
# any growth is history travelling, not different answers.
_CYCLE = (
    _t("Is the TrailPeak 2 tent in stock?", "out", INV, "WH-WEST"),
    _t("Can it ship to eu-central?", "same", INV, "eu-central"),
    _t("When is it back in stock?", "same", INV, "OUT-300"),
    _t("Is TRAIL20 valid for the TrailPeak 2 tent?", "out", PRICE, "TRAIL20"),
    _t("What's the best price for it?", "same", PRICE, "OUT-300"),
)
_OPENING = Turn(_CYCLE[0].text, "first", INV, _CYCLE[0].facts)
LONG_CONVERSATION = Conversation("long", (_OPENING, *_CYCLE[1:], *_CYCLE * 3))
