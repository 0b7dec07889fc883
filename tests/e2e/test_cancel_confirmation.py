"""The order-management service as its own process, on SQLite and PostgreSQL: only a clear yes cancels.

The process runs on `MODEL_PROVIDER=openai` against the strict double playing the test model, which
calls `cancel_order` whenever a cancel is asked: what holds the order until a clear yes is the product.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from agents.settings import Settings
from specialists.store.database import open_store
from tests.specialists.conftest import Peer
from tests.specialists.test_answers import BACK
from tests.specialists.test_cancel import order_status
from tests.support.asks import shopper_model
from tests.support.backends import OPENAI, Backend, unexpected_violations
from tests.support.chat_double import chat_double
from tests.support.databases import store_database
from tests.support.processes import Service, service_processes
from tests.support.servers import free_port
from tests.support.system import Specialists

HOLD = "I haven't cancelled ORD-1003. Say 'yes, cancel ORD-1003' to confirm."


@pytest.fixture(params=["sqlite", "postgresql"])
async def orders(request, tmp_path) -> AsyncIterator[Peer]:
    """A peer of `python -m specialists serve order-management` over a freshly seeded store."""
    async with store_database(request.param, tmp_path) as database_url:
        url = f"http://127.0.0.1:{free_port()}"
        settings = Settings(database_url=database_url, order_management_url=url)
        store = await open_store(database_url)  # seeded here, before the service opens it
        try:
            async with chat_double(shopper_model()) as double:
                model = {k.upper(): v for k, v in Backend(OPENAI, double).overrides.items()}
                env = {**os.environ, **model, "DATABASE_URL": database_url, "ORDER_MANAGEMENT_URL": url}
                env["ORDER_MANAGEMENT_GRPC_URL"] = f"127.0.0.1:{free_port()}"
                command = [sys.executable, "-m", "specialists", "serve", "order-management"]
                service = Service(
                    command, f"{url}/.well-known/agent-card.json", {**env, "LOG_LEVEL": "WARNING"}, cwd=tmp_path
                )
                async with service_processes(service, timeout_s=60), httpx.AsyncClient(timeout=30) as http:
                    yield Peer(Specialists(settings, store, {"order-management": url}), "order-management", http)
                assert double.calls_of("order-management"), "the process ran on the double"
                assert not unexpected_violations(Backend(OPENAI, double))
        finally:
            await store.close()


async def test_hedges_leave_the_order_and_a_clear_yes_cancels_it(orders):
    ask = await orders.send("cancel ORD-1003", customer="CUST-001", metadata=BACK)
    assert "ORD-1003" in ask["text"] and "yes" in ask["text"].lower()
    context = ask["context_id"]
    for hedge in ("yes, keep it please", "Sure, hold on a second", "yes?", "Sure, but first what is the price?"):
        reply = await orders.send(hedge, customer="CUST-001", context_id=context, metadata=BACK)
        assert reply["state"] == "TASK_STATE_COMPLETED"
        assert reply["text"] == HOLD, hedge
        assert await order_status(orders.specialists, "ORD-1003") == "placed", hedge

    done = await orders.send("yes, cancel ORD-1003", customer="CUST-001", context_id=context, metadata=BACK)
    assert "cancelled" in done["text"].lower()
    assert await order_status(orders.specialists, "ORD-1003") == "cancelled"
