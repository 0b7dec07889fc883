"""One trace per shopper turn across the orchestrator and specialist processes, exported over OTLP/HTTP.

`up` runs the six services as separate processes with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at a
receiver on loopback; a signed-in shopper asks about stock, then an out-of-domain follow-up that the
inventory specialist hands back and the orchestrator routes to pricing. Then the review specialist is
killed (and not restarted yet) and a new conversation asks it something.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from benchmarks.processes import is_alive, running_up
from tests.support.otlp import ReceivedSpan, Receiver, otlp_receiver, traced_env

SECRET = "tracing-test-secret-0123456789abcdef0123"
FIRST = "Is the TrailPeak 2 tent in stock?"
FOLLOW_UP = "Is TRAIL20 valid for the TrailPeak 2 tent?"
TO_THE_DEAD = "How is the TrailPeak 2 tent rated?"
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
SERVER, CLIENT = 2, 3  # OTLP span kinds
A2A_CALL = "/lf.a2a.v1.A2AService/SendStreamingMessage"  # the gRPC instrumentation's span, client and server


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Play the two turns against `up` with tracing on; yields the answers, the token and the receiver."""
    workdir = tmp_path_factory.mktemp("tracing")
    with otlp_receiver() as receiver:
        env = {**traced_env(os.environ, receiver, workdir, SECRET), "RESTART_DELAY_S": "120"}
        token = TokenCodec(SECRET, STOREFRONT_ISSUER).mint(STOREFRONT_AUDIENCE, "CUST-001", 600)
        with running_up(env, workdir) as system:
            headers = {"authorization": f"Bearer {token}"}
            with httpx.Client(base_url=system.api_url, headers=headers, timeout=60) as api:
                first = api.post("/api/chat", json={"message": FIRST}).json()
                follow = api.post(
                    "/api/chat", json={"message": FOLLOW_UP, "conversation_id": first["conversation_id"]}
                ).json()
                reviews = system.children()["review-sentiment"]
                os.kill(reviews, signal.SIGKILL)
                while is_alive(reviews):
                    time.sleep(0.05)
                failed = api.post("/api/chat", json={"message": TO_THE_DEAD}).json()
            exported = receiver.wait_for(
                lambda r: (
                    len([s for s in r.spans if s.name == "POST /api/chat"]) >= 2
                    and any(s.name == "specialist execute pricing-promotions" for s in r.spans)
                    and counted(r, "ecommerce.turns") == 3
                    and counted(r, "ecommerce.handoffs") == 4
                    and counted(r, "ecommerce.specialist.failures") == 1
                )
            )
            assert exported, sorted({(s.service, s.name) for s in receiver.spans})
        yield {"first": first, "follow": follow, "failed": failed, "token": token, "receiver": receiver}


def counted(receiver: Receiver, name: str) -> int:
    """The total of a counter in the orchestrator's latest export of it (cumulative)."""
    exports = receiver.metrics.get("orchestrator", {}).get(name)
    return sum(p.as_int for p in exports[-1].sum.data_points) if exports else 0


def turn_trace(receiver: Receiver, conversation_id: str, number: int) -> list[ReceivedSpan]:
    """Every span of the trace holding the turn's `shopper turn` span."""
    turns = [
        s
        for s in receiver.spans
        if s.name == "shopper turn"
        and s.attributes.get("gen_ai.conversation.id") == conversation_id
        and s.attributes.get("ecommerce.turn") == number
    ]
    assert len(turns) == 1, turns
    return [s for s in receiver.spans if s.trace_id == turns[0].trace_id]


def ancestry(span: ReceivedSpan, trace: list[ReceivedSpan]) -> list[ReceivedSpan]:
    """The span's ancestors from the root down, and the span."""
    by_id = {s.span_id: s for s in trace}
    chain = [span]
    while chain[0].parent_id:
        chain.insert(0, by_id[chain[0].parent_id])
    return chain


def one(trace: list[ReceivedSpan], name: str, service: str | None = None) -> ReceivedSpan:
    found = [s for s in trace if s.name == name and (service is None or s.service == service)]
    assert len(found) == 1, (name, service, [(s.service, s.name) for s in trace])
    return found[0]


def assert_hops_in_order(chain: list[ReceivedSpan], hops: list[tuple[str, str]]) -> None:
    """`hops` ((service, span name prefix)) appear along `chain` in this order."""
    steps = iter(chain)
    for service, prefix in hops:
        assert any(s.service == service and s.name.startswith(prefix) for s in steps), (
            f"{service}: {prefix!r} missing after the hops before it in {[(s.service, s.name) for s in chain]}"
        )


def assert_handoff(trace: list[ReceivedSpan], source: str, target: str, reason: str) -> ReceivedSpan:
    span = one(trace, f"handoff {source} -> {target}")
    assert span.attributes["handoff.source"] == source
    assert span.attributes["handoff.target"] == target
    assert reason in span.attributes["handoff.reason"]
    assert span.parent_id == one(trace, "shopper turn").span_id
    return span


def test_the_turns_were_answered_by_the_expected_agents(traced):
    first, follow = traced["first"], traced["follow"]
    assert first["agent"] == "inventory-fulfillment", first
    assert follow["agent"] == "pricing-promotions", follow
    assert follow["handoffs"] == [
        {"source": "inventory-fulfillment", "target": "orchestrator"},
        {"source": "orchestrator", "target": "pricing-promotions"},
    ]


def test_each_turn_is_one_trace_shared_by_the_orchestrator_and_the_specialists(traced):
    receiver, conversation = traced["receiver"], traced["first"]["conversation_id"]
    first, follow = turn_trace(receiver, conversation, 1), turn_trace(receiver, conversation, 2)
    assert first[0].trace_id != follow[0].trace_id
    assert {s.service for s in first} == {"orchestrator", "inventory-fulfillment"}
    assert {s.service for s in follow} == {"orchestrator", "inventory-fulfillment", "pricing-promotions"}
    for trace in (first, follow):
        ids = {s.span_id for s in trace}
        roots = [s for s in trace if not s.parent_id]
        assert [(r.service, r.name, r.kind) for r in roots] == [("orchestrator", "POST /api/chat", SERVER)]
        assert all(s.parent_id in ids for s in trace if s.parent_id), "every parent is in the same trace"
        assert all(s.resource.get("service.namespace") == "ecommerce-agents" for s in trace)


def test_the_span_tree_has_every_hop_from_the_chat_request_to_the_sql_in_order(traced):
    receiver, conversation = traced["receiver"], traced["first"]["conversation_id"]
    trace = turn_trace(receiver, conversation, 1)
    inventory = "inventory-fulfillment"
    sql = [s for s in trace if s.service == inventory and "db.statement" in s.attributes]
    under_tool = [s for s in sql if any(a.name.startswith("execute_tool") for a in ancestry(s, trace))]
    assert under_tool, "the specialist's tool ran SQL inside the trace"
    assert_hops_in_order(
        ancestry(under_tool[0], trace),
        [
            ("orchestrator", "POST /api/chat"),
            ("orchestrator", "shopper turn"),
            ("orchestrator", "workflow.run"),
            ("orchestrator", f"executor.process {inventory}"),
            ("orchestrator", f"invoke_agent {inventory}"),  # the proxy agent
            ("orchestrator", f"a2a send_message {inventory}"),
            ("orchestrator", A2A_CALL),  # the A2A request on the wire (gRPC binding)
            (inventory, A2A_CALL),
            (inventory, f"specialist execute {inventory}"),
            (inventory, f"invoke_agent {inventory}"),
            (inventory, "execute_tool check_stock"),
            (inventory, "SELECT"),
        ],
    )
    a2a_request = next(s for s in ancestry(under_tool[0], trace) if s.service == "orchestrator" and s.name == A2A_CALL)
    assert a2a_request.kind == CLIENT
    specialist_agent = one(trace, f"invoke_agent {inventory}", inventory)
    assert any(s.parent_id == specialist_agent.span_id and s.name.startswith("chat") for s in trace)

    orchestrator_agent = one(trace, "invoke_agent orchestrator")
    assert_hops_in_order(
        ancestry(orchestrator_agent, trace),
        [("orchestrator", "shopper turn"), ("orchestrator", "workflow.run"), ("orchestrator", "executor.process")],
    )
    # A clear first ask: the first-pass router stands in for the orchestrator's model call.
    route = one(trace, "first-pass route")
    assert route.attributes["handoff.target"] == inventory
    assert orchestrator_agent in ancestry(route, trace)
    assert not any(s.parent_id == orchestrator_agent.span_id and s.name.startswith("chat") for s in trace)
    handoff = assert_handoff(trace, "orchestrator", inventory, "routed by the first-pass router")
    proxy_agent = one(trace, f"invoke_agent {inventory}", "orchestrator")
    assert route.end_ns <= handoff.start_ns <= proxy_agent.start_ns, "route, then handoff, then proxy"


def test_the_handoffs_and_the_back_edge_are_on_the_follow_up_trace(traced):
    receiver, conversation = traced["receiver"], traced["first"]["conversation_id"]
    trace = turn_trace(receiver, conversation, 2)
    back = assert_handoff(trace, "inventory-fulfillment", "orchestrator", "outside this specialist's domain")
    onward = assert_handoff(trace, "orchestrator", "pricing-promotions", "routed by the orchestrator")
    assert back.start_ns <= onward.start_ns
    proxy_call = one(trace, "a2a send_message inventory-fulfillment")
    assert proxy_call.attributes["handoff.target"] == "orchestrator"
    executor = one(trace, "specialist execute inventory-fulfillment")
    assert executor.attributes["handoff.target"] == "orchestrator"
    assert one(trace, "specialist execute pricing-promotions").attributes.get("handoff.target") is None


def test_usage_and_outcome_are_on_the_turn_span(traced):
    receiver, conversation = traced["receiver"], traced["first"]["conversation_id"]
    for number, answer in ((1, traced["first"]), (2, traced["follow"])):
        turn = one(turn_trace(receiver, conversation, number), "shopper turn")
        assert turn.attributes["ecommerce.turn.outcome"] == "answered"
        assert turn.attributes["ecommerce.turn.agent"] == answer["agent"]
        assert turn.attributes["gen_ai.usage.model_calls"] == answer["usage"]["llm_calls"]
        assert turn.attributes["gen_ai.usage.input_tokens"] == answer["usage"]["input_tokens"]
        assert turn.attributes["gen_ai.usage.output_tokens"] == answer["usage"]["output_tokens"]
        assert not turn.failed


def _values(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    else:
        yield str(value)


def test_no_token_and_no_message_text_in_any_span(traced):
    receiver, token = traced["receiver"], traced["token"]
    assert receiver.spans
    for span in receiver.spans:
        values = [*_values(span.attributes), *_values(span.resource)]
        values += [v for event in span.events for v in _values(event.attributes)]
        for value in values:
            assert "Bearer" not in value and token not in value, (span.name, value)
            assert not JWT.search(value), (span.name, value)
            assert all(ask not in value for ask in (FIRST, FOLLOW_UP, TO_THE_DEAD)), (span.name, value)
    for body in receiver.raw_bodies:
        assert b"Bearer" not in body and token.encode() not in body and not re.search(rb"eyJ[\w-]+\.", body)


def test_a_specialist_that_is_down_is_an_error_on_the_proxy_call_and_a_counted_failure(traced):
    receiver, answer = traced["receiver"], traced["failed"]
    assert "can't reach our review sentiment team" in answer["reply"], answer
    trace = turn_trace(receiver, answer["conversation_id"], 1)
    assert "review-sentiment" not in {s.service for s in trace}
    call = one(trace, "a2a send_message review-sentiment")
    assert call.failed and "failed to connect" in call.status_message, call.status_message
    assert [e for e in call.events if e.name == "exception" and "A2AClientError" in e.attributes["exception.type"]]
    wire = [s for s in trace if s.parent_id == call.span_id and s.kind == CLIENT]
    assert wire and all(s.failed for s in wire), "the request that could not connect failed where it happened"
    assert "handoff.target" not in call.attributes, "the proxy keeps the floor with its apology"
    assert_handoff(trace, "orchestrator", "review-sentiment", "routed by the orchestrator")
    turn = one(trace, "shopper turn")
    assert turn.attributes["ecommerce.turn.failed_specialists"] == ["review-sentiment"]
    assert turn.attributes["ecommerce.turn.outcome"] == "answered", "the shopper got the apology, not an error"
    failures = receiver.metrics["orchestrator"]["ecommerce.specialist.failures"][-1]
    assert [(kv.value.string_value, p.as_int) for p in failures.sum.data_points for kv in p.attributes] == [
        ("review-sentiment", 1)
    ]


def test_turn_metrics_are_exported(traced):
    metrics = traced["receiver"].metrics["orchestrator"]
    for name in (
        "ecommerce.turns",
        "ecommerce.turn.duration",
        "ecommerce.turn.model_calls",
        "ecommerce.turn.tokens",
        "ecommerce.handoffs",
    ):
        assert name in metrics, sorted(metrics)
    assert counted(traced["receiver"], "ecommerce.turns") == 3
    handoffs = metrics["ecommerce.handoffs"][-1]
    by_edge = {
        tuple(kv.value.string_value for kv in p.attributes if kv.key in ("handoff.source", "handoff.target")): p.as_int
        for p in handoffs.sum.data_points
    }
    assert by_edge == {
        ("orchestrator", "inventory-fulfillment"): 1,
        ("inventory-fulfillment", "orchestrator"): 1,
        ("orchestrator", "pricing-promotions"): 1,
        ("orchestrator", "review-sentiment"): 1,
    }
