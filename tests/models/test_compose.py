"""Answers composed from tool results state the facts the way a person writes them, never a field dump."""

from __future__ import annotations

from agents.models.offline.compose import answer_from_results, clarification, render, states_field
from agents.models.offline.profiles import ParamKind, ParamSpec
from agents.models.offline.superlative import picked_from
from agents.models.offline.text import stem

ORDER = {
    "order_id": "ORD-1001",
    "status": "shipped",
    "total": 253.99,
    "items": [{"sku": "AUD-100", "name": "Aurora ANC Over-Ear Headphones", "quantity": 1, "unit_price": 179.0}],
    "shipment": {"carrier": "ParcelPost", "tracking_number": "PA1001347044", "shipped_at": "2026-11-18T09:00:00Z"},
}


def test_a_result_with_a_message_is_said_with_that_message_and_readable_dates() -> None:
    result = {**ORDER, "message": "ORD-1001 shipped on 2026-11-18 with ParcelPost, tracking PA1001347044"}
    text = render(result)
    assert text == "ORD-1001 shipped on Nov 18, 2026 with ParcelPost, tracking PA1001347044."
    assert "unit price" not in text and "status" not in text


def test_a_record_without_a_message_states_its_facts_with_money_and_dates() -> None:
    text = render(ORDER)
    for fact in ("ORD-1001", "shipped", "$253.99", "PA1001347044", "Nov 18, 2026", "Aurora ANC Over-Ear Headphones"):
        assert fact in text


def test_errors_and_empty_results_are_said_plainly() -> None:
    assert render({"error": "not_found"}) == "Sorry, not found."
    assert render([]) == "I found nothing."
    assert render({"sku": "OUT-300", "in_stock": False}) == "OUT-300, not in stock."


def test_each_result_of_a_turn_is_answered() -> None:
    assert answer_from_results(['{"message": "First."}', {"message": "Second"}]) == "First.\n\nSecond."


def _asked(own: str, meant: str = "") -> tuple[frozenset[str], frozenset[str]]:
    words = frozenset(stem(w) for w in own.split())
    return words, words | {stem(w) for w in meant.split()}


def test_a_field_the_ask_names_and_the_message_leaves_out_is_added() -> None:
    result = {**ORDER, "subtotal": 248.0, "shipping_cost": 5.99, "message": "ORD-1001 is shipped; total $253.99."}
    subtotal = answer_from_results([result], _asked("subtotal"))
    assert subtotal == "ORD-1001 is shipped; total $253.99. Subtotal: $248.00."
    assert answer_from_results([result], _asked("pay shipping", "cost")).endswith("Shipping cost: $5.99.")
    cost = answer_from_results([result], _asked("cost", "price"))
    assert cost == "ORD-1001 is shipped; total $253.99."  # "what did it cost": the total, no other cost


def test_a_field_named_by_its_meaning_is_added_and_counts_as_answered() -> None:
    result = {**ORDER, "shipping_cost": 5.99, "message": "ORD-1001 is shipped; total $253.99."}
    # "how much was shipping": an amount, and a cost is one
    assert answer_from_results([result], _asked("shipping", "price amount")).endswith("Shipping cost: $5.99.")
    estimate = {"fastest": {"carrier": "SwiftShip", "cost": 29.99, "days": 1}, "message": "..."}
    assert states_field([estimate], {stem("price"), stem("amount")})  # "and how much is it?"
    tent = {"sku": "OUT-301", "attributes": {"capacity_people": 4}, "message": "..."}
    assert states_field([tent], {stem("people"), stem("sleep")})  # "how many people does it sleep"
    assert not states_field([tent], {stem("review"), stem("rating")})
    assert not states_field([{"error": "not_found", "cost": 1.0}], {stem("price")})


def test_the_one_a_superlative_picks_from_a_listing_is_named_with_its_figure() -> None:
    tents = {
        "products": [
            {
                "sku": "OUT-300",
                "name": "TrailPeak 2 Backpacking Tent",
                "price": 239.0,
                "attributes": {"weight_kg": 1.6},
            },
            {"sku": "OUT-301", "name": "TrailPeak 4 Family Tent", "price": 349.0, "attributes": {"weight_kg": 5.2}},
        ]
    }
    assert (
        picked_from("whats the lightest tent", [tents])
        == "The lightest is the TrailPeak 2 Backpacking Tent (OUT-300): 1.6 kg."
    )
    assert (
        picked_from("the most expensive tent?", [tents])
        == "The most expensive is the TrailPeak 4 Family Tent (OUT-301): $349.00."
    )
    assert picked_from("show me tents", [tents]) is None
    # wishing for a low price asks for the cheapest of those found
    assert picked_from("a tent thats not crazy expensive", [tents]) == (
        "The cheapest is the TrailPeak 2 Backpacking Tent (OUT-300): $239.00."
    )
    assert picked_from("any affordable tents?", [tents]) is not None


def _side_by_side(attributes: dict[str, dict[str, object]], **rest: object) -> dict[str, object]:
    products = [
        {"sku": "AUD-100", "name": "Aurora ANC Over-Ear Headphones", "price": 179.0},
        {"sku": "AUD-102", "name": "Pulse Buds True Wireless Earbuds", "price": 89.0},
    ]
    return {"products": products, "attributes": attributes, **rest}


def test_a_side_by_side_result_states_the_features_that_differ_as_people_write_them() -> None:
    attributes = {
        "battery_hours": {"AUD-100": 40, "AUD-102": 32},
        "noise_cancelling": {"AUD-100": True, "AUD-102": False},
        "wireless": {"AUD-100": True, "AUD-102": True},
        "weight_g": {"AUD-100": 254, "AUD-102": None},
    }
    message = "Aurora ANC Over-Ear Headphones (AUD-100), $179.00; Pulse Buds True Wireless Earbuds (AUD-102), $89.00"
    text = render(_side_by_side(attributes, message=message))
    differences = "Battery: 40 hours vs 32 hours; noise cancelling vs no noise cancelling; weight: 254 g vs not listed."
    assert text == f"{message}. {differences}"  # the price line kept, the feature both share ("wireless") left out
    same = render(_side_by_side({"wireless": {"AUD-100": True, "AUD-102": True}}, message="Two."))
    assert same == "Two. Their listed features are the same."
    # without a message of its own: the record in brief, then the differences, never the table's fields
    plain = render(_side_by_side({"capacity_people": {"AUD-100": 2, "AUD-102": 4}}))
    assert plain.endswith("Capacity: 2 people vs 4 people.") and "AUD-100 2" not in plain


def test_records_keyed_by_what_the_result_does_not_list_are_no_side_by_side_table() -> None:
    options = {"standard": {"cost": 5.99, "days": 5}, "express": {"cost": 24.5, "days": 1}}
    text = render({"sku": "OUT-300", "options": options, "message": "Two ways to ship."})
    assert text == "Two ways to ship."


def test_a_missing_value_is_asked_for_from_its_schema_in_a_shoppers_words() -> None:
    def param(name: str, description: str, kind: ParamKind = "string") -> ParamSpec:
        return ParamSpec(name=name, kind=kind, description=description, required=True)

    product = param("product", "The product: its SKU, e.g. OUT-300, or its name as the shopper wrote it")
    assert clarification([product]) == "Which product do you mean? Please give the product name or SKU, e.g. OUT-300."
    cart = param(
        "products", "The products in the cart, each a SKU, e.g. OUT-300, or a product name; 2 x OUT-300", "array"
    )
    assert clarification([cart]) == "Which products do you mean? Please give the product names or SKUs, e.g. OUT-300."
    order = param("order_id", "The order id, e.g. ORD-1001; a bare number such as 1001 means the same")
    assert clarification([order]) == "Which order do you mean? Please give the order id, e.g. ORD-1001."
    coupon = param("code", "The coupon code, e.g. TRAIL20, in any case")
    assert clarification([coupon]) == "Which coupon do you mean? Please give the coupon code, e.g. TRAIL20."
    keyword = param("keyword", "A word or short topic the reviews mention, e.g. battery")
    assert clarification([keyword]) == "Which keyword do you mean? Please give the keyword, e.g. battery."
