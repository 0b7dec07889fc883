"""The trace and metrics of a shopper turn: one span over the workflow run, handoffs and usage on it.

Spans the workflow starts (the agents, their model and tool calls, the proxies' A2A calls) become
children of the turn's span, and so is a span for each handoff, with source, target and reason. With
telemetry off every method returns at once.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from agent_framework import WorkflowEvent
from agent_framework.orchestrations import HandoffSentEvent
from opentelemetry import metrics, trace

from agents.telemetry import handoff_attributes, record_error, start_span, traced_stream, tracing
from orchestrator.run_context import MeshRunContext

ROUTED = "routed by the orchestrator"
OUTCOME = "ecommerce.turn.outcome"


class _Instruments:
    """The turn metrics of this process."""

    def __init__(self) -> None:
        meter = metrics.get_meter("ecommerce-agents.turns")
        self.turns = meter.create_counter("ecommerce.turns", unit="{turn}", description="Shopper turns")
        self.duration = meter.create_histogram("ecommerce.turn.duration", unit="s", description="Turn latency")
        self.model_calls = meter.create_histogram(
            "ecommerce.turn.model_calls", unit="{call}", description="Model calls per turn, all agents"
        )
        self.tokens = meter.create_histogram("ecommerce.turn.tokens", unit="{token}", description="Tokens per turn")
        self.handoffs = meter.create_counter("ecommerce.handoffs", unit="{handoff}", description="Handoffs")
        self.failures = meter.create_counter(
            "ecommerce.specialist.failures", unit="{failure}", description="Specialists that failed in a turn"
        )


@lru_cache(maxsize=1)
def _instruments() -> _Instruments:
    return _Instruments()


class TurnTrace:
    """The span and metrics of one turn of conversation `conversation_id`."""

    def __init__(self, conversation_id: str, number: int) -> None:
        self._on = tracing()
        if not self._on:
            return
        self.span = start_span("shopper turn", {"gen_ai.conversation.id": conversation_id, "ecommerce.turn": number})
        self._started = time.monotonic()
        self._error: BaseException | None = None

    def run(self, stream: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The workflow's event stream, producing each event under the turn's span."""
        return traced_stream(self.span, stream) if self._on else stream

    @contextmanager
    def active(self) -> Iterator[None]:
        """Make the turn's span current in a block (one without `yield`)."""
        if not self._on:
            yield
            return
        with trace.use_span(self.span, end_on_exit=False):
            yield

    def observe(self, event: WorkflowEvent, run: MeshRunContext) -> None:
        """Put a handoff the workflow made on the trace (its reason from the agent that handed on)."""
        if not self._on or event.type != "handoff_sent" or not isinstance(event.data, HandoffSentEvent):
            return
        source, target = event.data.source, event.data.target
        attributes = handoff_attributes(source, target, run.handoff_reasons.pop(source, ROUTED))
        with self.active():
            start_span(f"handoff {source} -> {target}", attributes).end()
        _instruments().handoffs.add(1, {"handoff.source": source, "handoff.target": target})

    def fail(self, error: BaseException) -> None:
        """Record why the turn failed."""
        if self._on:
            self._error = error
            record_error(self.span, error)

    def finish(self, run: MeshRunContext, agent: str | None) -> None:
        """End the span with the turn's usage and outcome, and count the turn."""
        if not self._on:
            return
        usage = run.usage
        outcome = "failed" if self._error is not None else "answered"
        self.span.set_attributes(
            {
                OUTCOME: outcome,
                "ecommerce.turn.agent": agent or "",
                "ecommerce.turn.handoffs": run.handoffs,
                "ecommerce.turn.failed_specialists": list(run.failed_specialists),
                "gen_ai.usage.model_calls": usage.llm_calls,
                "gen_ai.usage.input_tokens": usage.input_tokens,
                "gen_ai.usage.output_tokens": usage.output_tokens,
            }
        )
        self.span.end()
        meters = _instruments()
        meters.turns.add(1, {OUTCOME: outcome})
        meters.duration.record(time.monotonic() - self._started, {OUTCOME: outcome})
        meters.model_calls.record(usage.llm_calls)
        meters.tokens.record(usage.input_tokens, {"gen_ai.token.type": "input"})
        meters.tokens.record(usage.output_tokens, {"gen_ai.token.type": "output"})
        for name in run.failed_specialists:
            meters.failures.add(1, {"ecommerce.specialist": name})
