"""Database trouble (a read-only SQLite file, PostgreSQL gone away) is a 503 with Retry-After, never a 500."""

import json

import httpx

from tests.api.test_chat import parse_sse
from tests.support.databases import migrated
from tests.support.read_only import read_only_file
from tests.support.store_trouble import orchestrator_on, system_on_relayed_postgres
from tests.support.system import running_specialists

TENT = "Is the TrailPeak 2 tent in stock?"
FOLLOW_UP = "Can it ship to eu-central?"


def chat(http: httpx.AsyncClient, message: str, conversation_id: str | None = None, *, sse: bool = False):
    headers = {"accept": "text/event-stream"} if sse else {}
    return http.post("/api/chat", json={"message": message, "conversation_id": conversation_id}, headers=headers)


def assert_store_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"] == "store_unavailable" and "try again" in response.json()["message"]


async def assert_writes_refused(http: httpx.AsyncClient, conversation: str) -> None:
    for sse in (False, True):
        assert_store_unavailable(await chat(http, "hi", sse=sse))
        assert_store_unavailable(await chat(http, FOLLOW_UP, conversation, sse=sse))
    ready = await http.get("/readyz")
    assert ready.status_code == 503 and ready.json()["error"] == "not_ready"
    assert "store does not take writes" in ready.json()["message"] and ready.headers["retry-after"]
    assert (await http.get("/healthz")).status_code == 200, "liveness is not readiness"


async def test_a_read_only_sqlite_store_refuses_turns_with_503_and_still_serves_transcripts(settings, tmp_path):
    db = tmp_path / "orchestrator.db"
    url = await migrated(f"sqlite+aiosqlite:///{db}")
    async with running_specialists(settings):
        async with orchestrator_on(settings, url) as http:
            conversation = (await chat(http, TENT)).json()["conversation_id"]
        with read_only_file(db):
            async with orchestrator_on(settings, url) as http:
                await assert_writes_refused(http, conversation)
                assert "readonly" in (await http.get("/readyz")).json()["store"]
                transcript = await http.get(f"/api/conversations/{conversation}")
                assert transcript.status_code == 200 and len(transcript.json()["messages"]) >= 2
        async with orchestrator_on(settings, url) as http:
            assert (await chat(http, FOLLOW_UP, conversation)).json()["agent"] == "inventory-fulfillment"


async def test_postgres_gone_away_gives_503_and_the_api_recovers_when_it_is_back(settings):
    async with system_on_relayed_postgres(settings) as (http, relay):
        conversation = (await chat(http, TENT)).json()["conversation_id"]
        await relay.stop()  # the port now refuses connections; open ones are cut
        await assert_writes_refused(http, conversation)
        assert_store_unavailable(await http.get(f"/api/conversations/{conversation}"))

        await relay.start()
        assert (await http.get("/readyz")).status_code == 200
        assert (await chat(http, FOLLOW_UP, conversation)).json()["agent"] == "inventory-fulfillment"
        assert (await chat(http, "hi")).status_code == 200


async def test_postgres_going_away_mid_stream_ends_the_stream_with_an_error_event(settings):
    async with system_on_relayed_postgres(settings, token_delay_ms=40.0) as (http, relay):
        events = []
        body = {"message": TENT}
        async with http.stream("POST", "/api/chat", json=body, headers={"accept": "text/event-stream"}) as stream:
            assert stream.status_code == 200
            async for line in stream.aiter_lines():
                events.append(line)
                if line.startswith("event: delta") and relay is not None:
                    await relay.stop()
                    relay = None
        parsed = parse_sse("\n".join(events))
        assert parsed[-1][0] == "error", parsed[-3:]
        assert parsed[-1][1]["error"] in ("turn_failed", "store_unavailable")
        assert "try again" in parsed[-1][1]["message"]
        assert "done" not in [kind for kind, _ in parsed]
        assert json.dumps(parsed[-1][1]).count("postgres") == 0, "no internals leak into the message"
