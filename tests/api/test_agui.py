"""POST /ag-ui with a client built from the protocol's own types, over real HTTP on the real system.

The run that streams both agents is AG-UI's smoke test on the offline model (the product's default);
the threads, bad runs and racing runs tests run on the test model, which decides who answers.
"""

import asyncio
import uuid

import httpx
import pytest
from ag_ui.core import (
    CustomEvent,
    Event,
    EventType,
    RunAgentInput,
    RunErrorEvent,
    RunFinishedEvent,
    RunStartedEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
    TextPart,
    UserMessage,
)
from pydantic import TypeAdapter

from orchestrator.api import create_api
from orchestrator.turns import TURN_FAILED
from tests.support.asks import TENT, stock_facts, tracking_number
from tests.support.backends import on_test_model_in_process
from tests.support.scripted import ScriptedChatClient
from tests.support.servers import serving
from tests.support.store_trouble import system_on_relayed_postgres
from tests.support.system import running_system, system_settings

INV, PD = "inventory-fulfillment", "product-discovery"
EVENTS = TypeAdapter(Event)


class AguiClient:
    """A minimal AG-UI client: posts `RunAgentInput`, parses the SSE stream into `ag_ui.core` events."""

    def __init__(self, http: httpx.AsyncClient, token: str | None = None) -> None:
        self.http = http
        self.headers = {"accept": "text/event-stream"}
        if token:
            self.headers["authorization"] = f"Bearer {token}"

    def run_input(self, thread_id: str, *texts: str) -> RunAgentInput:
        messages = [UserMessage(id=uuid.uuid4().hex, content=text) for text in texts]
        return RunAgentInput(thread_id=thread_id, run_id=uuid.uuid4().hex, messages=messages, tools=[], context=[])

    async def post(self, run: RunAgentInput) -> httpx.Response:
        body = run.model_dump(mode="json", by_alias=True)
        return await self.http.post("/ag-ui", json=body, headers=self.headers)

    async def run(self, run: RunAgentInput) -> list:
        events = []
        body = run.model_dump(mode="json", by_alias=True)
        async with self.http.stream("POST", "/ag-ui", json=body, headers=self.headers) as response:
            assert response.status_code == 200, await response.aread()
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    events.append(EVENTS.validate_json(line.removeprefix("data:").strip()))
        return events


@pytest.fixture
def settings(tmp_path, model_backend):
    """The system's settings, the offline model writing its answer over time (1 ms a token), as a real
    model does: an answer written at once goes out as one event, so streaming shows only over time."""
    return system_settings(tmp_path, **model_backend.overrides, offline_token_delay_ms=1.0)


def check_protocol_order(events: list, run: RunAgentInput) -> None:
    """RUN_STARTED first; one terminal event last; messages and steps open and close in order."""
    assert isinstance(events[0], RunStartedEvent)
    assert (events[0].thread_id, events[0].run_id) == (run.thread_id, run.run_id)
    assert isinstance(events[-1], RunFinishedEvent | RunErrorEvent)
    assert not [e for e in events[:-1] if isinstance(e, RunFinishedEvent | RunErrorEvent | RunStartedEvent)][1:]
    open_message, open_step = None, None
    for event in events[1:-1]:
        if isinstance(event, TextMessageStartEvent):
            assert open_message is None, "one message at a time"
            open_message = event.message_id
        elif isinstance(event, TextMessageContentEvent | TextMessageEndEvent):
            assert event.message_id == open_message
            if isinstance(event, TextMessageEndEvent):
                open_message = None
        elif isinstance(event, StepStartedEvent):
            assert open_step is None, "one step at a time"
            open_step = event.step_name
        elif isinstance(event, StepFinishedEvent):
            assert event.step_name == open_step
            open_step = None
    assert open_message is None and open_step is None, "everything opened is closed before the run ends"


def spoken(events: list) -> dict[str, str]:
    """The text of each speaking agent (by the message's `name`)."""
    names, texts = {}, {}
    for event in events:
        if isinstance(event, TextMessageStartEvent):
            assert event.role == "assistant"
            names[event.message_id] = event.name
        elif isinstance(event, TextMessageContentEvent):
            texts[names[event.message_id]] = texts.get(names[event.message_id], "") + event.delta
    return texts


async def test_a_run_streams_both_agents_the_handoff_and_a_follow_up_reaches_the_specialist(system, settings):
    async with serving(create_api(settings, system.service)) as url, httpx.AsyncClient(base_url=url) as http:
        client = AguiClient(http)
        thread = uuid.uuid4().hex
        first = client.run_input(thread, "Is the TrailPeak 2 tent in stock?")
        events = await client.run(first)
        check_protocol_order(events, first)
        steps = [e.step_name for e in events if isinstance(e, StepStartedEvent)]
        assert steps == ["orchestrator", INV]
        handoffs = [e for e in events if isinstance(e, CustomEvent)]
        assert [(h.name, h.value) for h in handoffs] == [("handoff", {"source": "orchestrator", "target": INV})]
        kinds = [e.type for e in events]
        assert kinds.index(EventType.CUSTOM) < kinds.index(EventType.TEXT_MESSAGE_START)
        said = spoken(events)
        assert list(said) == [INV] and "3 in stock" in said[INV] and "WH-WEST" in said[INV]
        finished = events[-1]
        assert finished.result["conversation_id"] == thread and finished.result["agent"] == INV
        assert finished.usage[0].input_tokens > 0 and finished.usage[0].output_tokens > 0
        assert sum(1 for e in events if isinstance(e, TextMessageContentEvent)) >= 2, "the answer streams"

        # The client sends its whole history each run; the newest user message is the turn.
        follow_up = client.run_input(thread, "Is the TrailPeak 2 tent in stock?", "Can it ship to eu-central?")
        events = await client.run(follow_up)
        check_protocol_order(events, follow_up)
        assert [e.step_name for e in events if isinstance(e, StepStartedEvent)] == [INV]
        assert not [e for e in events if isinstance(e, CustomEvent)], "a same-domain follow-up needs no handoff"
        said = spoken(events)
        assert list(said) == [INV] and "eu-central" in said[INV]

        transcript = (await http.get(f"/api/conversations/{thread}")).json()
        assert [m["author"] for m in transcript["messages"]] == ["shopper", INV, "shopper", INV]
        assert transcript["messages"][2]["text"] == "Can it ship to eu-central?"


@on_test_model_in_process
async def test_threads_are_conversations_of_the_chat_api_with_its_ownership(system, settings):
    async with serving(create_api(settings, system.service)) as url, httpx.AsyncClient(base_url=url) as http:
        started = (await system.chat("Do you have noise-cancelling headphones under $200?")).json()
        events = await AguiClient(http).run(
            AguiClient(http).run_input(
                started["conversation_id"], "Tell me more about the Aurora ANC Over-Ear Headphones"
            )
        )
        assert spoken(events).keys() == {PD}, "the thread continues the /api/chat conversation"

        mine = uuid.uuid4().hex
        maya = AguiClient(http, system.shopper_token("CUST-001"))
        events = await maya.run(maya.run_input(mine, "Where is my order ORD-1001?"))
        tracking = await tracking_number(system.specialists.store, "CUST-001", "ORD-1001")
        assert tracking in spoken(events)["order-management"]
        liam = AguiClient(http, system.shopper_token("CUST-002"))
        refused = await liam.post(liam.run_input(mine, "and its tracking number?"))
        assert refused.status_code == 404 and refused.json()["error"] == "not_found"
        forged = await AguiClient(http, "not-a-token").post(maya.run_input(mine, "hello"))
        assert forged.status_code == 401


@on_test_model_in_process
async def test_bad_runs_are_refused_before_they_start(system, settings):
    async with serving(create_api(settings, system.service)) as url, httpx.AsyncClient(base_url=url) as http:
        client = AguiClient(http)
        no_user = client.run_input(uuid.uuid4().hex)
        assert (await client.post(no_user)).status_code == 422
        long_thread = client.run_input("t" * 65, "hello")
        assert (await client.post(long_thread)).status_code == 422
        too_long = client.run_input(uuid.uuid4().hex, "x" * (settings.max_message_chars + 1))
        assert (await client.post(too_long)).status_code == 422
        assert (await http.post("/ag-ui", json={"threadId": "t"})).status_code == 422
        nul_thread = client.run_input("t\x00", "hello")
        assert (await client.post(nul_thread)).status_code == 422
        as_text = await http.post("/ag-ui", content=b"{}", headers={"content-type": "text/plain"})
        assert as_text.status_code == 415
        parts = client.run_input(uuid.uuid4().hex, "")
        parts.messages[0].content = [TextPart(text="Is the TrailPeak 2 tent in stock?")]
        said = spoken(await client.run(parts))[INV]
        assert all(fact in said for fact in await stock_facts(system.specialists.store, TENT))


@on_test_model_in_process
async def test_two_runs_starting_one_new_thread_at_once_one_is_refused(system, settings):
    async with serving(create_api(settings, system.service)) as url, httpx.AsyncClient(base_url=url) as http:
        client = AguiClient(http)
        thread = uuid.uuid4().hex
        runs = [client.run_input(thread, "Is the TrailPeak 2 tent in stock?") for _ in range(2)]
        answers = await asyncio.gather(*(client.post(r) for r in runs))
        assert sorted(a.status_code for a in answers) == [200, 409]
        transcript = (await http.get(f"/api/conversations/{thread}")).json()
        assert transcript["turns"] == 1


def _model_down(_messages, _options):
    raise RuntimeError("orchestrator model unavailable: 503 from upstream")


async def test_a_failed_turn_ends_the_run_with_run_error_and_the_thread_goes_on(tmp_path):
    settings = system_settings(tmp_path)
    model = ScriptedChatClient([_model_down, "Hello again!"])
    async with (
        running_system(settings, orchestrator_model=model) as system,
        serving(create_api(settings, system.service)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        client = AguiClient(http)
        thread = uuid.uuid4().hex
        failed = client.run_input(thread, "hello?")
        events = await client.run(failed)
        check_protocol_order(events, failed)
        assert isinstance(events[-1], RunErrorEvent)
        assert (events[-1].message, events[-1].code) == (TURN_FAILED, "turn_failed")

        again = client.run_input(thread, "hello?", "hello?")
        events = await client.run(again)
        check_protocol_order(events, again)
        assert isinstance(events[-1], RunFinishedEvent) and spoken(events) == {"orchestrator": "Hello again!"}


async def test_a_client_that_leaves_mid_run_does_not_lock_the_thread(tmp_path):
    settings = system_settings(tmp_path, offline_token_delay_ms=20)  # an answer that takes a while to stream
    async with (
        running_system(settings) as system,
        serving(create_api(settings, system.service)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        client = AguiClient(http)
        thread = uuid.uuid4().hex
        body = client.run_input(thread, "Is the TrailPeak 2 tent in stock?").model_dump(mode="json", by_alias=True)
        async with http.stream("POST", "/ag-ui", json=body, headers=client.headers) as response:
            async for line in response.aiter_lines():
                if line.startswith("data:") and EVENTS.validate_json(line[5:]).type == EventType.TEXT_MESSAGE_CONTENT:
                    break  # leave in the middle of the answer
        for _ in range(200):  # the server notices the disconnect and gives the lease back
            retry = await client.post(client.run_input(thread, "Is the TrailPeak 2 tent in stock?"))
            if retry.status_code != 409:
                break
            await asyncio.sleep(0.05)
        assert retry.status_code == 200
        assert "RUN_FINISHED" in retry.text


async def test_postgres_going_away_mid_run_ends_it_with_run_error(settings):
    async with system_on_relayed_postgres(settings, token_delay_ms=40.0) as (http, relay):
        client = AguiClient(http)
        body = client.run_input(uuid.uuid4().hex, "Is the TrailPeak 2 tent in stock?").model_dump(by_alias=True)
        events = []
        async with http.stream("POST", "/ag-ui", json=body, headers=client.headers) as stream:
            assert stream.status_code == 200
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                events.append(EVENTS.validate_json(line.removeprefix("data:")))
                if events[-1].type == EventType.TEXT_MESSAGE_CONTENT and relay is not None:
                    await relay.stop()
                    relay = None
        assert isinstance(events[-1], RunErrorEvent), events[-3:]
        assert events[-1].code in ("turn_failed", "store_unavailable") and "try again" in events[-1].message
        assert not [e for e in events if isinstance(e, RunFinishedEvent)]
        assert "postgres" not in events[-1].message.lower(), "no internals leak into the message"
