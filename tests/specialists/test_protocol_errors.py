"""Malformed bodies, unknown methods and oversized messages get protocol errors, never a 500."""

import json

import httpx
import pytest


def rpc(method="SendMessage", text="hi", **extra):
    body = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": method,
        "params": {"message": {"messageId": "m1", "role": "ROLE_USER", "parts": [{"text": text}]}},
    }
    body.update(extra)
    return body


@pytest.fixture
async def post(specialists):
    url = specialists.urls["product-discovery"] + "/a2a"
    headers = {
        "A2A-Version": "1.0",
        "Authorization": "Bearer " + specialists.service_token("product-discovery", None),
        "content-type": "application/json",
    }
    async with httpx.AsyncClient(timeout=30) as http:

        async def send(content: bytes | str) -> httpx.Response:
            return await http.post(url, content=content, headers=headers)

        yield send


async def test_malformed_json(post):
    response = await post(b"{not json")
    assert response.status_code < 500
    assert response.json()["error"]["code"] == -32700


async def test_unknown_method(post):

    response = await post(json.dumps(rpc(method="message/send")))
    assert response.status_code < 500
    assert response.json()["error"]["code"] == -32601


async def test_oversized_message(post, specialists):

    huge = "x" * (specialists.settings.max_message_chars * 4 + 1)
    response = await post(json.dumps(rpc(text=huge)))
    assert response.status_code < 500
    error = response.json()["error"]
    assert error["code"] == -32602 and "too long" in error["message"]


async def test_empty_message(post):

    response = await post(json.dumps(rpc(text="   ")))
    assert response.status_code < 500
    assert response.json()["error"]["code"] == -32602
