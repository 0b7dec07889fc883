"""The development sign-in endpoints and the page's files, over the app (the browser test drives the page)."""

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from tests.support.asks import tracking_number
from tests.support.backends import on_test_model_in_process

pytestmark = on_test_model_in_process


async def test_customers_come_from_the_store(system):
    listed = (await system.api.get("/dev/customers")).json()["customers"]
    assert listed[0] == {"customer_id": "CUST-001", "name": "Maya Chen", "tier": "gold"}
    assert len(listed) == len({c["customer_id"] for c in listed}) > 1


async def test_a_token_signs_in_as_a_seeded_customer(system, settings):
    answer = await system.api.post("/dev/token", json={"customer_id": "CUST-001"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["customer_id"], body["name"], body["expires_in"]) == ("CUST-001", "Maya Chen", 3600)
    codec = TokenCodec(settings.storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)
    assert codec.verify(body["token"], STOREFRONT_AUDIENCE).customer_id == "CUST-001"
    reply = await system.api.post(
        "/api/chat",
        json={"message": "Where is my order ORD-1001?"},
        headers={"authorization": f"Bearer {body['token']}"},
    )
    assert await tracking_number(system.specialists.store, "CUST-001", "ORD-1001") in reply.json()["reply"]


async def test_unknown_or_missing_customers_are_refused(system):
    unknown = await system.api.post("/dev/token", json={"customer_id": "CUST-999"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    empty = await system.api.post("/dev/token", json={"customer_id": ""})
    assert empty.status_code == 422


async def test_the_page_and_its_assets_are_served_from_the_package(system):
    page = await system.api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert 'src="/static/chat.js"' in page.text and "http" not in page.text
    script = await system.api.get("/static/chat.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert (await system.api.get("/static/chat.css")).status_code == 200
    paths = (await system.api.get("/openapi.json")).json()["paths"]
    assert {"/dev/customers", "/dev/token"} <= set(paths) and "/" not in paths
