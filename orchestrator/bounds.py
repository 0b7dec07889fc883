"""Per-turn bounds of the mesh: a handoff budget, and the floor after a specialist failed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from agent_framework import (
    ChatContext,
    ChatMiddleware,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FunctionInvocationContext,
    FunctionMiddleware,
    FunctionTool,
    Message,
    ResponseStream,
)

from agents.handoff_extension import handoff_tool_target
from orchestrator.turn_context import current_turn

LIMIT_MESSAGE = (
    "I wasn't able to get this to the right specialist just now. "
    "Could you rephrase your question, or ask about one thing at a time?"
)
INSISTED_REFUSALS = 2


class HandoffBudget(FunctionMiddleware):
    """Refuses `handoff_to_*` calls once the turn has used its budget of handoffs.

    The refusal is the call's result, so every call the model made keeps its result in the agent's
    history (a provider rejects a transcript with an unanswered call); the model is called again and
    answers the shopper itself. `RouteNoMore` keeps a model that insists from looping.
    """

    async def process(self, context: FunctionInvocationContext, call_next: Callable[[], Awaitable[None]]) -> None:
        turn = current_turn()
        if turn is None or handoff_tool_target(context.function.name) is None:
            await call_next()
            return
        if turn.take_handoff(context.function.name):
            await call_next()
            return
        context.result = FunctionTool.parse_result({"error": "handoff_limit", "message": LIMIT_MESSAGE})


class RouteNoMore(ChatMiddleware):
    """After a refused handoff the model may only answer (`tool_choice="none"`); if it insists, we answer.

    A model that calls a handoff again after being refused twice is not called a third time: the
    turn's answer is the limit message, and the loop ends with every call answered.
    """

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        turn = current_turn()
        if turn is None or not turn.refused_handoffs:
            await call_next()
            return
        if len(turn.refused_handoffs) >= INSISTED_REFUSALS:
            _answer_without_model(context, LIMIT_MESSAGE)
            return
        context.options["tool_choice"] = "none"
        await call_next()


class FloorAfterFailure(ChatMiddleware):
    """When a specialist failed this turn and handed back, the orchestrator takes the floor silently.

    The shopper already has the apology; calling the model now would only route the same ask to the
    same unreachable specialist. The next shopper message reaches the orchestrator, which routes afresh.
    """

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        turn = current_turn()
        if turn is None or not turn.failed_specialists:
            await call_next()
            return
        _answer_without_model(context, None)


def _answer_without_model(context: ChatContext, text: str | None) -> None:
    """Make `text` (or nothing) the model call's answer without calling the model."""
    contents = [Content.from_text(text)] if text else []
    if context.stream:
        context.result = ResponseStream(_single(contents), finalizer=ChatResponse.from_updates)
    else:
        messages = [Message("assistant", contents)] if contents else []
        context.result = ChatResponse(messages=messages, finish_reason="stop")


async def _single(contents: list[Content]) -> AsyncIterator[ChatResponseUpdate]:
    yield ChatResponseUpdate(role="assistant", contents=contents, finish_reason="stop")
