"""Answers composed from tool results: generic, factual, message first, nothing repeated."""

from __future__ import annotations

from agents.models.offline.compose import answer_from_results, render

ORDER = {
    "order_id": "ORD-1001",
    "status": "shipped",
    "total": 253.99,
    "items": [
        {"sku": "AUD-100", "name": "Aurora ANC Over-Ear Headphones", "quantity": 1, "unit_price": 179.0},
        {"sku": "OFF-405", "name": "Precision Wireless Mouse M5", "quantity": 1, "unit_price": 69.0},
    ],
    "shipment": {"carrier": "ParcelPost", "tracking_number": "PA1001347044", "shipped_at": "2026-11-18T09:00:00Z"},
}


def test_a_record_becomes_sentences_and_a_list() -> None:
    assert render(ORDER) == (
        "Order ORD-1001: status shipped, total $253.99. "
        "Shipment: carrier ParcelPost, tracking number PA1001347044, shipped at 2026-11-18 09:00 UTC.\n"
        "Items:\n"
        "- Aurora ANC Over-Ear Headphones (AUD-100): quantity 1, unit price $179.00\n"
        "- Precision Wireless Mouse M5 (OFF-405): quantity 1, unit price $69.00"
    )


def test_the_message_leads_and_what_it_says_is_not_repeated() -> None:
    result = {
        "message": "You have 2 orders: ORD-1001 (shipped) and ORD-1002 (delivered).",
        "count": 2,
        "orders": [{"order_id": "ORD-1001", "status": "shipped"}, {"order_id": "ORD-1002", "status": "delivered"}],
        "customer_tier": "gold",
    }
    assert render(result) == "You have 2 orders: ORD-1001 (shipped) and ORD-1002 (delivered). Customer tier gold."


def test_money_counts_flags_and_percentages() -> None:
    text = render({"sku": "OUT-300", "in_stock": False, "total": 3, "price": 10, "percent_off": 20, "subtotal": 12.5})
    assert text == "OUT-300: not in stock, total 3, price $10.00, percent off 20%, subtotal $12.50."


def test_errors_are_said_plainly() -> None:
    assert render({"error": "Order ORD-9999 not found", "order_id": "ORD-9999"}) == "Sorry, order ORD-9999 not found."
    assert render("Error: Function failed.") == "Sorry, that didn't work: Function failed."


def test_lists_and_several_results() -> None:
    assert render([]) == "I found nothing."
    assert render([{"code": "TRAIL20"}, {"code": "WELCOME10"}]) == "I found 2:\n- TRAIL20\n- WELCOME10"
    assert answer_from_results(['{"message": "Done."}', "plain text"]) == "Done.\n\nPlain text."
