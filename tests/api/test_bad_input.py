"""Bad input gets a clear 4xx JSON message, never a 500, and the conversation survives."""

import time

import jwt
import pytest

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER
from tests.support.backends import on_test_model_in_process

pytestmark = on_test_model_in_process


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"message": ""}, 422, "empty"),
        ({"message": "   \n\t "}, 422, "empty"),
        ({}, 422, "message"),
        ({"message": 42}, 422, "message"),
        ({"message": "hi", "conversation_id": "x" * 65}, 422, "conversation_id"),
    ],
)
async def test_invalid_bodies(system, body, status, fragment):
    response = await system.api.post("/api/chat", json=body)
    assert response.status_code == status
    assert response.json()["error"] and fragment in response.json()["message"]


async def test_malformed_json(system):
    response = await system.api.post(
        "/api/chat", content=b'{"message": "hi"', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["message"]


async def test_over_long_message(system, settings):
    response = await system.api.post("/api/chat", json={"message": "a" * (settings.max_message_chars + 1)})
    assert response.status_code == 422 and response.json()["error"] == "message_too_long"
    assert str(settings.max_message_chars) in response.json()["message"]


async def test_unknown_conversation(system):
    response = await system.chat("hi", "does-not-exist")
    assert response.status_code == 404
    assert "does-not-exist" in response.json()["message"]
    assert (await system.api.get("/api/conversations/does-not-exist")).status_code == 404


def token(settings, **claims):
    base = {"iss": STOREFRONT_ISSUER, "aud": STOREFRONT_AUDIENCE, "sub": "CUST-001", "exp": int(time.time()) + 60}
    base.update(claims)
    secret = base.pop("secret", settings.storefront_token_secret.get_secret_value())
    return jwt.encode(base, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "header",
    [
        lambda s: "Bearer " + token(s, secret="q" * 40),
        lambda s: "Bearer " + token(s, exp=int(time.time()) - 1),
        lambda s: "Bearer " + token(s, aud="someone-else"),
        lambda s: "Bearer not-a-token",
        lambda s: "Basic abc",
    ],
)
async def test_forged_or_expired_tokens_get_401(system, settings, header):
    response = await system.api.post(
        "/api/chat", json={"message": "my orders"}, headers={"authorization": header(settings)}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


async def test_a_specialist_stopped_mid_conversation_gives_a_clear_message_and_then_comes_back(system):
    first = (await system.chat("Is OUT-300 in stock?")).json()
    conversation = first["conversation_id"]
    await system.specialists.stop("inventory-fulfillment")
    down = await system.chat("Can it ship to eu-central?", conversation)
    assert down.status_code == 200
    assert "can't reach" in down.json()["reply"] and "http" not in down.json()["reply"]
    await system.specialists.start("inventory-fulfillment")
    back = await system.chat("Can it ship to eu-central?", conversation)
    assert back.status_code == 200
    assert back.json()["agent"] == "inventory-fulfillment"
    assert "eu-central" in back.json()["reply"]
