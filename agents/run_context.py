"""The one context object of a running request, reached from every agent, tool and middleware it runs.

Each process side has one kind: the orchestrator's `MeshRunContext` for a shopper turn through the
mesh, a specialist's `SpecialistRunContext` for one A2A request. Both are `RunContext`s: the shopper
and the model usage of the run. `running(run)` binds one around the run; the tasks the run starts
(MAF runs executors, tools and middleware in them) inherit it. It plays the part of pydantic-ai's
`RunContext`, found through a context variable because MAF's tools and middleware are not handed
one. Nothing here is checkpointed: the shopper's identity in particular never is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from agent_framework import ChatContext, ChatMiddleware, ChatResponse


@dataclass
class ModelUsage:
    """Model calls and tokens spent on a run."""

    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, other: ModelUsage) -> None:
        """Accumulate `other` into this usage."""
        self.llm_calls += other.llm_calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens

    def add_response(self, response: ChatResponse) -> None:
        """Accumulate the tokens a model response reports."""
        details = response.usage_details or {}
        self.input_tokens += int(details.get("input_token_count") or 0)
        self.output_tokens += int(details.get("output_token_count") or 0)

    def as_dict(self) -> dict[str, int]:
        """JSON form."""
        return asdict(self)


@dataclass
class RunContext:
    """What every run carries: who is asking (None: an anonymous shopper) and what its model calls cost."""

    customer_id: str | None
    usage: ModelUsage = field(default_factory=ModelUsage)


Run = TypeVar("Run", bound=RunContext)

_RUN: ContextVar[RunContext | None] = ContextVar("run_context", default=None)


@contextmanager
def running(run: Run) -> Iterator[Run]:
    """Make `run` the current run of the code (and the tasks it starts) inside the block."""
    token = _RUN.set(run)
    try:
        yield run
    finally:
        _RUN.reset(token)


def current_run(kind: type[Run]) -> Run | None:
    """The current run if it is a `kind`, else None (outside a run, or a run of another kind)."""
    run = _RUN.get()
    return run if isinstance(run, kind) else None


def current_customer_id() -> str | None:
    """The signed-in shopper of the current run, or None for an anonymous shopper (or no run)."""
    run = _RUN.get()
    return run.customer_id if run is not None else None


class UsageMeter(ChatMiddleware):
    """Chat middleware that adds each model call and its reported tokens to the current run's usage."""

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        """Count the call, then its tokens once the response (or the stream's final response) is known."""
        run = _RUN.get()
        if run is None:
            await call_next()
            return
        usage = run.usage
        usage.llm_calls += 1
        if context.stream:
            context.stream_result_hooks.append(lambda response: usage.add_response(response))
        await call_next()
        if not context.stream and isinstance(context.result, ChatResponse):
            usage.add_response(context.result)
