"""A conversation belongs to its shopper; orders only to theirs; anonymous shoppers sign in for orders.

On the test model, which always calls the order tools, so what keeps an order from a stranger is the product.
"""

from tests.support.asks import TENT, stock_facts, tracking_number
from tests.support.backends import on_test_model_in_process

pytestmark = on_test_model_in_process


async def test_another_shopper_gets_404_for_a_conversation(system):
    mine = (await system.chat("Where is my order ORD-1001?", customer="CUST-001")).json()
    conversation = mine["conversation_id"]
    assert await tracking_number(system.specialists.store, "CUST-001", "ORD-1001") in mine["reply"]
    other = await system.chat("and its tracking number?", conversation, customer="CUST-002")
    assert other.status_code == 404
    assert (await system.chat("and its tracking number?", conversation)).status_code == 404
    headers = {"authorization": f"Bearer {system.shopper_token('CUST-002')}"}
    assert (await system.api.get(f"/api/conversations/{conversation}", headers=headers)).status_code == 404
    assert (await system.api.get(f"/api/conversations/{conversation}")).status_code == 404
    headers = {"authorization": f"Bearer {system.shopper_token('CUST-001')}"}
    assert (await system.api.get(f"/api/conversations/{conversation}", headers=headers)).status_code == 200


async def test_a_shopper_cannot_read_another_shoppers_order(system):
    answer = (await system.chat("Where is my order ORD-1001?", customer="CUST-002")).json()
    assert answer["agent"] == "order-management", "the order tool was called for the wrong shopper"
    assert await tracking_number(system.specialists.store, "CUST-001", "ORD-1001") not in answer["reply"]


async def test_anonymous_shoppers_may_ask_about_products_but_not_orders(system):
    orders = (await system.chat("Where is my order ORD-1001?")).json()
    assert "sign in" in orders["reply"].lower()
    products = (await system.chat("Is OUT-300 in stock?")).json()
    assert all(fact in products["reply"] for fact in await stock_facts(system.specialists.store, TENT))
