"""Every error is JSON `{error, message}` (never plain text, never a cut connection), over real HTTP."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from orchestrator.api import create_api
from tests.api.test_chat import parse_sse
from tests.support.servers import serving


@pytest.fixture
async def app(system, settings) -> FastAPI:
    return create_api(settings, system.service)


@pytest.fixture
async def http(app) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=60) as client:
        yield client


def raw_chat(http: httpx.AsyncClient, body: bytes, **headers: str):
    return http.post("/api/chat", content=body, headers={"content-type": "application/json", **headers})


def assert_error(response: httpx.Response, status: int, error: str, fragment: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == error and fragment in body["message"], body
    assert response.headers.get("connection") != "close"


@pytest.mark.parametrize("accept", ["application/json", "text/event-stream"])
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (rb'{"message": "hi \ud800 there"}', "lone surrogate (U+D800) at position 3"),
        (rb'{"message": "hi \udfff"}', "lone surrogate (U+DFFF)"),
        (rb'{"message": "hi \u0000 there"}', "NUL character at position 3"),
        (rb'{"message": "hi", "conversation_id": "\ud83d"}', "conversation_id: contains a lone surrogate"),
        (rb'{"message": "hi", "conversation_id": "ab\u0000"}', "conversation_id: contains a NUL"),
    ],
)
async def test_text_the_store_cannot_keep_is_a_clear_422_and_the_connection_lives_on(http, body, fragment, accept):
    assert_error(await raw_chat(http, body, accept=accept), 422, "invalid_request", fragment)
    after = await raw_chat(http, b'{"message": "hi"}', accept=accept)  # same keep-alive connection
    assert after.status_code == 200
    if accept == "text/event-stream":
        assert parse_sse(after.text)[-1][0] == "done"


async def test_a_valid_pair_of_surrogates_is_an_ordinary_message(http):
    answer = await raw_chat(http, rb'{"message": "hi \ud83d\ude00"}')
    assert answer.status_code == 200
    transcript = (await http.get(f"/api/conversations/{answer.json()['conversation_id']}")).json()
    assert transcript["messages"][0]["text"] == "hi \N{GRINNING FACE}"


async def test_a_nul_in_the_path_is_a_422(http):
    assert_error(await http.get("/api/conversations/ab%00cd"), 422, "invalid_request", "NUL character")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"message": "hi"', "not valid JSON"),
        (b"", "body: Field required"),
        (b"[1, 2]", "valid dictionary"),
        (b'{"message": "caf\xe9"}', "body is not valid UTF-8"),
    ],
)
async def test_a_body_that_does_not_parse_gets_the_error_shape(http, body, fragment):
    response = await raw_chat(http, body)
    assert response.status_code in (400, 422)
    assert_error(
        response, response.status_code, "invalid_request" if response.status_code == 422 else "bad_request", fragment
    )


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
async def test_a_body_that_is_not_json_is_a_415(http, content_type):
    response = await http.post("/api/chat", content=b'{"message": "hi"}', headers={"content-type": content_type})
    assert_error(response, 415, "unsupported_media_type", "application/json")


async def test_json_with_a_charset_or_a_json_suffix_is_accepted(http):
    for content_type in ["application/json; charset=utf-8", "application/vnd.api+json"]:
        response = await http.post("/api/chat", content=b'{"message": "hi"}', headers={"content-type": content_type})
        assert response.status_code == 200, response.text


async def test_unknown_routes_and_methods_get_the_error_shape(http):
    assert_error(await http.get("/no/such/page"), 404, "not_found", "Not Found")
    assert_error(await http.delete("/api/chat"), 405, "method_not_allowed", "Method Not Allowed")


async def test_an_unexpected_exception_is_a_json_500_and_the_server_keeps_serving(app, http):
    async def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)
    response = await http.get("/broken")
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "message": "Something went wrong on our side. Please try again.",
    }
    assert (await http.get("/healthz")).status_code == 200


@pytest.mark.parametrize("customer_id", [r"CUST-\ud800", r"CUST-\u0000"])
async def test_a_development_sign_in_for_an_unstorable_customer_id_is_a_422(http, customer_id):
    body = ('{"customer_id": "' + customer_id + '"}').encode()
    response = await http.post("/dev/token", content=body, headers={"content-type": "application/json"})
    assert_error(response, 422, "invalid_request", "customer_id: ")
