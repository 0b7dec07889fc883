"""Cancelling waits for an explicit yes in the next turn; shipped orders are refused.

On the test model, which calls `cancel_order` whenever a cancel is asked, so the yes the store waits for
is the product's doing.
"""

from sqlalchemy import text

from tests.specialists.test_answers import BACK
from tests.support.backends import on_test_model_in_process

pytestmark = on_test_model_in_process


async def order_status(specialists, order_id):
    async with specialists.store.engine.connect() as conn:
        return (await conn.execute(text("select status from orders where order_id = :o"), {"o": order_id})).scalar()


async def test_cancel_asks_first_and_yes_cancels(peer, specialists):
    orders = peer("order-management")
    ask = await orders.send("Please cancel order ORD-1003", customer="CUST-001", metadata=BACK)
    assert "ORD-1003" in ask["text"] and "yes" in ask["text"].lower()
    assert await order_status(specialists, "ORD-1003") == "placed"
    done = await orders.send("yes", customer="CUST-001", context_id=ask["context_id"], metadata=BACK)
    assert "cancel" in done["text"].lower()
    assert await order_status(specialists, "ORD-1003") == "cancelled"


async def test_anything_but_yes_leaves_the_order_alone(peer, specialists):
    orders = peer("order-management")
    ask = await orders.send("cancel ORD-1003", customer="CUST-001", metadata=BACK)
    reply = await orders.send("no, keep it", customer="CUST-001", context_id=ask["context_id"], metadata=BACK)
    assert "ORD-1003" in reply["text"]
    late = await orders.send("yes", customer="CUST-001", context_id=ask["context_id"], metadata=BACK)
    assert await order_status(specialists, "ORD-1003") == "placed"
    assert "cancelled" not in late["text"].lower() or "not" in late["text"].lower()


async def test_yes_in_another_conversation_does_nothing(peer, specialists):
    orders = peer("order-management")
    await orders.send("cancel ORD-1003", customer="CUST-001", metadata=BACK)
    await orders.send("yes", customer="CUST-001", metadata=BACK)
    assert await order_status(specialists, "ORD-1003") == "placed"


async def test_a_shipped_order_is_refused_with_the_reason(peer, specialists):
    reply = await peer("order-management").send("cancel ORD-1001", customer="CUST-001", metadata=BACK)
    assert "shipped" in reply["text"].lower()
    assert await order_status(specialists, "ORD-1001") == "shipped"


async def test_another_customer_cannot_cancel(peer, specialists):
    orders = peer("order-management")
    ask = await orders.send("cancel ORD-1003", customer="CUST-002", metadata=BACK)
    await orders.send("yes", customer="CUST-002", context_id=ask["context_id"], metadata=BACK)
    assert await order_status(specialists, "ORD-1003") == "placed"
