"""Through the storefront: a hedge keeps the cancel waiting; a no with a new question drops it and answers.

On the test model, which calls `cancel_order` for the cancel and routes the price question to product
discovery, so the waiting, dropping and answering are the product's.
"""

from tests.specialists.test_cancel import order_status
from tests.support.backends import on_test_model_in_process

pytestmark = on_test_model_in_process


async def test_a_hedge_waits_and_a_no_with_a_question_drops_the_cancel_and_answers_it(system):
    ask = (await system.chat("Please cancel my order ORD-1003", customer="CUST-001")).json()
    assert ask["agent"] == "order-management" and "yes" in ask["reply"].lower()
    conversation = ask["conversation_id"]

    hedge = (await system.chat("Sure, but first what is the price?", conversation, customer="CUST-001")).json()
    assert hedge["reply"] == "I haven't cancelled ORD-1003. Say 'yes, cancel ORD-1003' to confirm."

    moved_on = await system.chat("no wait, what's the price of the TrailPeak 2 tent?", conversation, "CUST-001")
    answer = moved_on.json()
    assert answer["reply"].startswith("OK, I haven't cancelled ORD-1003; it stays as it was.")
    assert "$239.00" in answer["reply"] and answer["agent"] == "product-discovery"

    await system.chat("yes", conversation, customer="CUST-001")
    assert await order_status(system.specialists, "ORD-1003") == "placed"
