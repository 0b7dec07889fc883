"""`/readyz` on every service: 200 when it can serve, 503 `{error, message, ...}` saying why when not."""

import httpx
import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from agents.database import create_engine
from agents.definitions import SPECIALIST_NAMES
from agents.readiness import store_problem
from orchestrator.api import create_api
from specialists.service import build_specialist_app
from specialists.store.database import open_store
from tests.support.databases import store_database
from tests.support.read_only import read_only_file
from tests.support.servers import serving


async def test_the_orchestrator_is_ready_then_degraded_then_unready_as_specialists_go(system, settings):
    async with serving(create_api(settings, system.service)) as url, httpx.AsyncClient(base_url=url) as http:
        ready = await http.get("/readyz")
        assert ready.status_code == 200
        every = dict.fromkeys(SPECIALIST_NAMES, True)
        assert ready.json() == {"status": "ready", "store": "writable", "specialists": every}

        await system.specialists.stop("inventory-fulfillment")
        degraded = (await http.get("/readyz")).json()
        assert degraded["status"] == "degraded" and degraded["specialists"]["inventory-fulfillment"] is False
        assert sum(degraded["specialists"].values()) == len(SPECIALIST_NAMES) - 1

        for name in SPECIALIST_NAMES:
            if name != "inventory-fulfillment":
                await system.specialists.stop(name)
        down = await http.get("/readyz")
        assert down.status_code == 503 and down.headers["retry-after"]
        assert down.json()["error"] == "not_ready" and down.json()["message"] == "no specialist is reachable"
        assert not any(down.json()["specialists"].values())
        assert (await http.get("/healthz")).status_code == 200


async def test_every_specialist_is_ready_on_a_writable_store(system):
    async with httpx.AsyncClient() as http:
        for name, url in system.specialists.urls.items():
            response = await http.get(f"{url}/readyz")
            assert response.status_code == 200
            assert response.json() == {"status": "ready", "agent": name, "store": "writable"}


async def test_a_specialist_on_a_read_only_store_is_not_ready_but_alive(settings, tmp_path):
    db = tmp_path / "store.db"
    store = await open_store(settings.database_url)  # created and seeded, with the sessions table, then let go
    await build_specialist_app("order-management", settings, store, base_url="http://127.0.0.1")
    await store.close()
    with read_only_file(db):
        store = await open_store(settings.database_url)
        try:
            app = await build_specialist_app("order-management", settings, store, base_url="http://127.0.0.1")
            async with serving(app) as url, httpx.AsyncClient(base_url=url) as http:
                response = await http.get("/readyz")
                assert response.status_code == 503 and response.headers["retry-after"]
                body = response.json()
                assert body["error"] == "not_ready" and body["agent"] == "order-management"
                assert "readonly" in body["store"] and body["message"].startswith("the store does not take writes")
                assert (await http.get("/healthz")).status_code == 200
        finally:
            await store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_the_write_probe_leaves_nothing_behind_and_sees_a_read_only_database(backend, tmp_path):
    async with store_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            assert await store_problem(engine) is None
            assert await store_problem(engine) is None, "the probe can run again: it created nothing"
            async with engine.connect() as conn:
                assert "readiness_probe" not in await conn.run_sync(lambda c: inspect(c).get_table_names())
            if backend == "postgresql":
                database = make_url(url).database
                async with engine.connect() as conn:
                    await conn.exec_driver_sql(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
                    await conn.commit()
                await engine.dispose()  # new connections are read-only
                assert "read-only transaction" in (await store_problem(engine) or "")
        finally:
            await engine.dispose()
